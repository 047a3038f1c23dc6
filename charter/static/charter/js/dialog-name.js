// Wagtail's modal workflow dialogs (e.g. a charter workflow step's « voir ce qui manque ») come
// without an accessible name: name each one after the title its content brings (axe
// aria-dialog-name).
(() => {
  const name = (dialog) => {
    if (dialog.hasAttribute("aria-labelledby") || dialog.hasAttribute("aria-label")) return;
    const title = dialog.querySelector("h1, h2");
    if (!title) return;
    if (!title.id) title.id = `dialog-title-${Date.now()}`;
    dialog.setAttribute("aria-labelledby", title.id);
  };
  new MutationObserver(() => {
    document.querySelectorAll('.modal[role="dialog"]').forEach(name);
  }).observe(document.body, { childList: true, subtree: true });
})();
