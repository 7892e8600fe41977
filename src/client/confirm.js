// Destructive actions ask first. Without JavaScript, a link marked `data-dialog` opens its confirmation
// page; with it, the same confirmation (the page's htmx fragment) opens in a modal dialog, focus on
// Cancel, Escape or Cancel closing it and focus going back to the link.
(() => {
	let dialog = null;
	let opener = null;
	const ensureDialog = () => {
		if (dialog) return dialog;
		dialog = document.createElement("dialog");
		dialog.className = "confirm-dialog";
		dialog.setAttribute("aria-labelledby", "confirm-title");
		dialog.addEventListener("close", () => opener?.focus());
		dialog.addEventListener("click", (event) => {
			const cancel = event.target.closest?.("[data-dialog-close]");
			if (!cancel) return;
			event.preventDefault();
			dialog.close();
		});
		document.body.append(dialog);
		return dialog;
	};
	document.addEventListener("click", async (event) => {
		const link = event.target.closest?.("a[data-dialog]");
		if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
		event.preventDefault();
		opener = link;
		try {
			const res = await fetch(link.href, {
				headers: { "HX-Request": "true", "HX-Request-Type": "partial" },
				credentials: "same-origin",
			});
			if (!res.ok || !res.headers.get("content-type")?.includes("text/html")) throw new Error(String(res.status));
			const box = ensureDialog();
			box.innerHTML = await res.text();
			box.showModal();
			box.querySelector("[data-dialog-close]")?.focus();
		} catch {
			// Whatever went wrong, the confirmation page itself still works.
			window.location.assign(link.href);
		}
	});
})();
