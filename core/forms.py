"""Form helpers shared by the apps."""

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form fields it names, or to the whole form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for item in errors:
                form.add_error(name if name in form.fields else None, item.messages)
    else:
        form.add_error(None, error.messages)
