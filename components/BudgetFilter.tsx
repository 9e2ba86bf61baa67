/**
 * The reading-time budget: "Fits in [5] [10] [20] min", toggle buttons (`aria-pressed`) named
 * "5 min"…; pressing the pressed one again goes back to the sections.
 */
export const BUDGETS = [5, 10, 20] as const;

export function BudgetFilter({
  selected,
  onSelect,
}: {
  /** The budget shown, in minutes; undefined when none is. */
  selected: number | undefined;
  onSelect: (minutes: number | undefined) => void;
}) {
  return (
    <div role="group" aria-labelledby="budget-label" class="budget">
      <span id="budget-label">Fits in</span>
      {BUDGETS.map((minutes) => (
        <button
          key={minutes}
          type="button"
          class="small"
          aria-label={`${minutes} min`}
          aria-pressed={selected === minutes}
          onClick={() => onSelect(selected === minutes ? undefined : minutes)}
        >
          {minutes}
        </button>
      ))}
      <span aria-hidden="true">min</span>
    </div>
  );
}
