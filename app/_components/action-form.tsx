'use client';

import { createContext, useContext, useId, useState, useTransition, type ReactNode } from 'react';
import type { ActionResult } from '@/lib/sdk/errors';
import { useHydrated } from '@/app/_components/use-hydrated';

type FormContext = { fieldErrors: Record<string, string>; pending: boolean };
const Context = createContext<FormContext>({ fieldErrors: {}, pending: false });

type Props<T> = {
  action: (input: Record<string, FormDataEntryValue>) => Promise<ActionResult<T>>;
  children: ReactNode;
  submitLabel: string;
  pendingLabel?: string;
  successMessage?: string;
  resetOnSuccess?: boolean;
  className?: string;
  submitClassName?: string;
  /** What the form's owner does with the action's answer (e.g. show a secret once). */
  onSuccess?: (data: T) => void;
};

/**
 * Calls a server action with the form's fields and shows its result beside the form. Submitting
 * through a transition (not `<form action>`) keeps what the user typed when the server says no.
 */
export function ActionForm<T>({
  action,
  children,
  submitLabel,
  pendingLabel,
  successMessage,
  resetOnSuccess,
  className,
  submitClassName,
  onSuccess,
}: Props<T>) {
  const [result, setResult] = useState<ActionResult<T> | null>(null);
  const [pending, startTransition] = useTransition();
  const hydrated = useHydrated();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const input = Object.fromEntries(new FormData(form));
    startTransition(async () => {
      const next = await action(input);
      setResult(next);
      if (next.ok && resetOnSuccess) form.reset();
      if (next.ok) onSuccess?.(next.data);
    });
  }

  const fieldErrors = result && !result.ok ? (result.error.fieldErrors ?? {}) : {};
  return (
    <Context.Provider value={{ fieldErrors, pending }}>
      <form onSubmit={onSubmit} className={className ?? 'space-y-4'} noValidate>
        {children}
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" disabled={pending || !hydrated} className={submitClassName ?? 'btn-primary'}>
            {pending ? (pendingLabel ?? `${submitLabel}…`) : submitLabel}
          </button>
          <FormMessage result={result} successMessage={successMessage} />
        </div>
      </form>
    </Context.Provider>
  );
}

function FormMessage<T>({ result, successMessage }: { result: ActionResult<T> | null; successMessage?: string }) {
  if (!result) return null;
  if (!result.ok) {
    return (
      <p role="alert" className="text-sm text-destructive">
        {result.error.message}
      </p>
    );
  }
  return successMessage ? (
    <p role="status" className="text-sm text-success">
      {successMessage}
    </p>
  ) : null;
}

type FieldProps = {
  name: string;
  label: string;
  type?: string;
  autoComplete?: string;
  placeholder?: string;
  defaultValue?: string;
  required?: boolean;
};

export function Field({ name, label, type = 'text', ...rest }: FieldProps) {
  const { fieldErrors } = useContext(Context);
  const id = useId();
  const error = fieldErrors[name];
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-foreground">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className="input"
        {...rest}
      />
      {error ? (
        <p id={`${id}-error`} className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function SelectField({ name, label, options, defaultValue }: { name: string; label: string; options: readonly string[]; defaultValue?: string }) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-foreground">
        {label}
      </label>
      <select id={id} name={name} defaultValue={defaultValue} className="input">
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </div>
  );
}
