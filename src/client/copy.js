// The one-time secret: a copy button, and a warning before leaving the page until the key was copied.
(() => {
	const box = document.querySelector("[data-secret]");
	if (!box) return;
	let copied = false;
	const warn = (event) => {
		if (copied) return;
		event.preventDefault();
		event.returnValue = "";
	};
	window.addEventListener("beforeunload", warn);
	const button = document.querySelector("[data-copy]");
	const status = document.querySelector("[data-copy-status]");
	button?.removeAttribute("hidden");
	button?.addEventListener("click", async () => {
		try {
			await navigator.clipboard.writeText(box.textContent.trim());
			status.textContent = "Copied to the clipboard.";
		} catch {
			const range = document.createRange();
			range.selectNodeContents(box);
			window.getSelection()?.removeAllRanges();
			window.getSelection()?.addRange(range);
			status.textContent = "Selected — press Ctrl+C (⌘C) to copy.";
		}
		copied = true;
	});
	for (const done of document.querySelectorAll("[data-secret-done]")) {
		done.addEventListener("click", () => {
			copied = true;
		});
	}
})();
