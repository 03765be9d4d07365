'use client';

// Creates a world: a name, a seed, how many homes, and the data-sharing preset it runs under — the
// Hydra default (each supplier gets the monthly bill only) or GB licence defaults (daily reads
// unless the householder opts out; half-hourly only with opt-in), for comparing the two.
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/button';

const field = 'h-9 rounded-md border border-border-strong bg-card px-2 text-sm';

export function CreateWorldForm() {
  const router = useRouter();
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const response = await fetch('/api/worlds', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: form.get('name'), seed: form.get('seed'), homeCount: Number(form.get('homeCount')), sharingPreset: form.get('sharingPreset') }),
    });
    const body = (await response.json().catch(() => ({}))) as { worldId?: string; error?: { message: string } };
    if (!response.ok || !body.worldId) {
      setBusy(false);
      setError(body.error?.message ?? `the world could not be created (HTTP ${response.status})`);
      return;
    }
    router.push(`/worlds/${body.worldId}`);
  };

  return (
    <form onSubmit={(event) => void submit(event)} className="flex flex-col gap-4" aria-describedby={error ? `${id}-error` : undefined} noValidate>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-muted-foreground">Name</span>
          <input name="name" required maxLength={60} defaultValue="" placeholder="e.g. Licence street" className={field} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-muted-foreground">Seed</span>
          <input name="seed" required maxLength={60} defaultValue="hydra-demo" className={field} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-muted-foreground">Homes</span>
          <input name="homeCount" type="number" required min={5} max={200} defaultValue={24} className={field} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-muted-foreground">Data sharing</span>
          <select name="sharingPreset" defaultValue="hydra" className={field}>
            <option value="hydra">Hydra (monthly bill only)</option>
            <option value="gb-licence">GB licence (daily unless opted out)</option>
          </select>
        </label>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create world'}
        </Button>
        {error && (
          <p id={`${id}-error`} role="alert" className="text-sm text-danger">
            {error}
          </p>
        )}
      </div>
    </form>
  );
}
