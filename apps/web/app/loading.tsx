// Loading UI for the app segment: a calm skeleton with a status message for screen readers.

export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="space-y-8">
      <span className="sr-only">Loading…</span>
      <div aria-hidden="true" className="animate-pulse space-y-3">
        <div className="h-4 w-40 rounded bg-muted" />
        <div className="h-9 w-2/3 max-w-xl rounded bg-muted" />
        <div className="h-4 w-full max-w-2xl rounded bg-muted" />
      </div>
      <div aria-hidden="true" className="grid animate-pulse gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {[0, 1, 2, 3].map((key) => (
          <div key={key} className="h-24 rounded-xl border border-border bg-card" />
        ))}
      </div>
      <div aria-hidden="true" className="h-72 animate-pulse rounded-xl border border-border bg-card" />
    </div>
  );
}
