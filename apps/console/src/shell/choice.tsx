// A labelled picker of one value among named options, optionally "any" (no filter).
export type Option = { value: string; label: string };

export function Choice({ id, label, value, options, any, onChoose }: {
  id: string; label: string; value: string; options: Option[]; any?: boolean; onChoose: (value: string) => void;
}) {
  return (
    <span>
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChoose(event.currentTarget.value)}>
        {any && <option value="">any</option>}
        {options.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
      </select>
    </span>
  );
}
