// What a party's console shows when that party's API refused it (viewed as another party) or could
// not answer: the server's own refusal, and how to get in.
import { ErrorState } from './error-state';
import { viewAsLabel } from './view-as';
import type { Principal } from '@/lib/server/auth';

/** Props for {@link ConsoleRefusal}. */
export interface ConsoleRefusalProps {
  /** The console's owner, possessive, e.g. "The DNO’s". */
  owner: string;
  /** What "View as" should be switched to, e.g. "DNO". */
  switchTo: string;
  /** Whose data it is, e.g. "Power-quality events, feeder load and campaigns are the DNO’s own". */
  whose: string;
  viewedAs: Principal;
  refusal: { status: number; code: string; message: string };
}

/** The refusal panel. */
export function ConsoleRefusal({ owner, switchTo, whose, viewedAs, refusal }: ConsoleRefusalProps) {
  const auth = refusal.status === 401 || refusal.status === 403;
  return (
    <ErrorState
      title={auth ? `${owner} API refused this console` : `${owner} data could not be loaded`}
      description={
        <p>
          Viewed as the <strong>{viewAsLabel(viewedAs)}</strong>. {auth ? `${whose}: only its credential opens them. Switch “View as” to ${switchTo}.` : 'Try again in a moment.'}
        </p>
      }
      detail={`${refusal.status} ${refusal.code}: ${refusal.message}`}
    />
  );
}
