// The first-run tour, upgraded: one step at a time, the place it talks about highlighted, keyboard
// friendly (Escape skips). Without this script every step is listed and the page works the same.
(() => {
	const tour = document.querySelector("[data-tour]");
	if (!tour) return;
	const steps = [...tour.querySelectorAll("[data-step]")];
	const back = tour.querySelector("[data-tour-back]");
	const next = tour.querySelector("[data-tour-next]");
	const finish = tour.querySelector("[data-tour-finish]");
	const counter = tour.querySelector("[data-tour-counter]");
	let index = 0;

	function show(i) {
		index = i;
		for (const [n, step] of steps.entries()) step.hidden = n !== i;
		for (const el of document.querySelectorAll(".tour-highlight")) el.classList.remove("tour-highlight");
		const target = steps[i].dataset.target;
		if (target) document.querySelector(`header a[href="${target}"]`)?.classList.add("tour-highlight");
		back.hidden = i === 0;
		next.hidden = i === steps.length - 1;
		finish.hidden = i !== steps.length - 1;
		counter.textContent = `Step ${i + 1} of ${steps.length}`;
		steps[i].querySelector("h3")?.focus();
	}

	tour.classList.add("tour-js");
	back.addEventListener("click", () => show(Math.max(0, index - 1)));
	next.addEventListener("click", () => show(Math.min(steps.length - 1, index + 1)));
	tour.addEventListener("keydown", (event) => {
		if (event.key === "Escape") tour.querySelector("[data-tour-skip]")?.click();
	});
	show(0);
})();
