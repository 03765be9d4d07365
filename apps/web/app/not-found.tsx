// 404 for any unknown path: says so and offers the way back.
import Link from 'next/link';
import { buttonClasses } from '@/components/button';
import { EmptyState } from '@/components/empty-state';

export const metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <div className="mx-auto max-w-2xl py-8">
      <EmptyState
        headingLevel={1}
        title="Page not found"
        description="There is no page at this address. It may not have been built yet, or the link may be mistyped."
        action={
          <Link href="/" className={buttonClasses({ variant: 'primary' })}>
            Back to the dashboard
          </Link>
        }
      />
    </div>
  );
}
