import type { OptionInfo } from '../lib/api';

/** One input for a connector option, chosen by the option's type; its error shown beneath. */
export function OptionField({
  option, value, onChange, error, secretSet, disabled,
}: {
  option: OptionInfo;
  value: string;
  onChange: (text: string) => void;
  error?: string;
  secretSet?: boolean;
  disabled?: boolean;
}) {
  const id = `opt-${option.name}`;
  const placeholder = option.secret && secretSet
    ? '(stored; leave empty to keep)'
    : option.default !== null && option.default !== undefined && option.default !== ''
      ? `default ${Array.isArray(option.default) ? option.default.join(', ') : String(option.default)}`
      : '';
  let input;
  if (option.allowed.length > 0) {
    input = (
      <select id={id} name={option.name} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
        <option value="">{placeholder || '—'}</option>
        {option.allowed.map((a) => <option key={a} value={a}>{a}</option>)}
      </select>
    );
  } else if (option.type === 'boolean') {
    input = (
      <select id={id} name={option.name} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
        <option value="">{placeholder || '—'}</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  } else if (option.type === 'map') {
    input = <textarea id={id} name={option.name} rows={3} value={value} placeholder="key=value per line"
      disabled={disabled} onChange={(e) => onChange(e.target.value)} />;
  } else {
    input = (
      <input id={id} name={option.name} value={value} placeholder={placeholder} disabled={disabled}
        type={option.secret ? 'password' : option.type === 'number' ? 'text' : 'text'}
        inputMode={option.type === 'number' ? 'numeric' : undefined}
        autoComplete={option.secret ? 'new-password' : 'off'}
        aria-invalid={error ? true : undefined} aria-describedby={`${id}-help`}
        onChange={(e) => onChange(e.target.value)} />
    );
  }
  return (
    <div className={'field' + (error ? ' invalid' : '')}>
      <label htmlFor={id}>
        {option.name}
        {option.required && <span className="req" title="required"> *</span>}
        {option.secret && <span className="tag">secret</span>}
      </label>
      {input}
      <small id={`${id}-help`}>{option.description}</small>
      {error && <span className="field-error" role="alert">{error}</span>}
    </div>
  );
}
