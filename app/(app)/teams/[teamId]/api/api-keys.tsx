'use client';

import { useState, useTransition } from 'react';
import { ActionForm, Field } from '@/app/_components/action-form';
import type { ApiKeySummary } from '@/lib/api/keys';
import { createApiKey, revokeApiKey } from '../../actions';
import { useHydrated } from '@/app/_components/use-hydrated';

const day = (ms: number) => new Date(ms).toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

export function ApiKeyList({ teamId, keys, manager }: { teamId: string; keys: ApiKeySummary[]; manager: boolean }) {
  if (keys.length === 0) return <p className="text-sm text-muted-foreground">No keys yet.</p>;
  return (
    <ul className="divide-y divide-border">
      {keys.map((key) => (
        <li key={key.id} className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid="api-key-row">
          <div>
            <p className="font-medium">
              {key.name} <code className="text-sm text-muted-foreground">{key.prefix}…</code>
            </p>
            <p className="text-sm text-muted-foreground">
              Created {day(key.createdAt)} · {key.lastUsedAt ? `last used ${day(key.lastUsedAt)}` : 'never used'}
              {key.revokedAt ? ` · revoked ${day(key.revokedAt)}` : ''}
            </p>
          </div>
          {manager && !key.revokedAt ? <RevokeButton teamId={teamId} keyId={key.id} name={key.name} /> : null}
          {key.revokedAt ? <span className="badge">revoked</span> : null}
        </li>
      ))}
    </ul>
  );
}

function RevokeButton({ teamId, keyId, name }: { teamId: string; keyId: string; name: string }) {
  const [pending, startTransition] = useTransition();
  const hydrated = useHydrated();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col items-end gap-1">
      <button
        type="button"
        className="btn-danger py-1.5"
        disabled={pending || !hydrated}
        onClick={() => {
          if (!window.confirm(`Revoke "${name}"? Requests with it fail from now on.`)) return;
          startTransition(async () => {
            const result = await revokeApiKey({ teamId, keyId });
            setError(result.ok ? null : result.error.message);
          });
        }}
      >
        {pending ? 'Revoking…' : 'Revoke'}
        <span className="sr-only"> {name}</span>
      </button>
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function NewApiKeyForm({ teamId }: { teamId: string }) {
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-3 border-t border-border pt-4">
      <ActionForm
        action={createApiKey}
        submitLabel="Create key"
        pendingLabel="Creating…"
        resetOnSuccess
        onSuccess={(key) => {
          setCreated(key);
          setCopied(false);
        }}
        className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-end"
      >
        <input type="hidden" name="teamId" value={teamId} />
        <Field name="name" label="New key's name" placeholder="Production backend" required />
      </ActionForm>
      {created ? (
        <div role="status" className="space-y-2 rounded-md bg-success-surface p-3 text-sm text-success">
          <p>Key “{created.name}” created. Copy it now: it is shown only once, and Tally keeps only its hash.</p>
          <div className="flex flex-wrap items-center gap-2">
            <code className="rounded bg-card px-2 py-1 break-all text-foreground" data-testid="new-api-key">
              {created.secret}
            </code>
            <button type="button" className="btn-secondary py-1" onClick={() => navigator.clipboard.writeText(created.secret).then(() => setCopied(true))}>
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
