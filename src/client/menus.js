// Header menus: a search box narrows the organization list as one types; a click outside or Escape
// closes an open menu. Without JavaScript the menus are plain disclosures and the whole list shows.
(() => {
	for (const input of document.querySelectorAll("[data-filter]")) {
		const list = document.getElementById(input.dataset.filter);
		input.addEventListener("input", () => {
			const words = input.value.trim().toLowerCase();
			for (const item of list?.querySelectorAll("[data-filter-text]") ?? [])
				item.hidden = words !== "" && !item.dataset.filterText.includes(words);
		});
	}
	const menus = () => document.querySelectorAll("details.menu[open]");
	document.addEventListener("click", (event) => {
		for (const menu of menus()) if (!menu.contains(event.target)) menu.removeAttribute("open");
	});
	document.addEventListener("keydown", (event) => {
		if (event.key !== "Escape") return;
		for (const menu of menus()) {
			menu.removeAttribute("open");
			menu.querySelector("summary")?.focus();
		}
	});
})();
