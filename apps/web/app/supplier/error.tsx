'use client';
// Error boundary for this console: says what happened and offers a retry.
import { Button } from '@/components/button';
import { ErrorState } from '@/components/error-state';

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  // Server errors arrive with a digest to match against the server log; their message is generic.
  const digest =
    error instanceof Error && 'digest' in error && typeof error.digest === 'string' ? error.digest : undefined;
  return (
    <div className="mx-auto max-w-2xl py-8">
      <ErrorState
        headingLevel={1}
        title="This page could not be shown"
        description={
          <p>
            Something failed while preparing this page. Try again; if it keeps failing, check that the app&apos;s
            database is set up (<code className="font-mono">npm run setup</code>) and look in the server log.
          </p>
        }
        detail={digest !== undefined ? `Error reference: ${digest}` : undefined}
        action={
          <Button variant="primary" onClick={() => retry()}>
            Try again
          </Button>
        }
      />
    </div>
  );
}
