"""CommitmentProposal: `state` (where the review stands) becomes `review_status`.

`status` stays: it is the commitment status the partner proposes (as `progress`, `narrative`).
A rename: every row keeps its value; the one-pending-proposal constraint follows the name.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("engagements", "0011_move_monitoring_models")]

    operations = [
        migrations.RemoveConstraint(
            model_name="commitmentproposal", name="one_pending_proposal_per_commitment"
        ),
        migrations.RenameField(
            model_name="commitmentproposal", old_name="state", new_name="review_status"
        ),
        migrations.AddConstraint(
            model_name="commitmentproposal",
            constraint=models.UniqueConstraint(
                condition=models.Q(("review_status", "pending")),
                fields=("commitment",),
                name="one_pending_proposal_per_commitment",
                violation_error_message=(
                    "Une proposition est déjà en attente de validation pour cet engagement."
                ),
            ),
        ),
    ]
