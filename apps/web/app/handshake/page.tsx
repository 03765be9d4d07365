// The SCP11 handshake, stepped through byte by byte ("The Illustrated TLS 1.3 Connection" style),
// recomputed live on a demonstration channel with throwaway keys.
import { PageHeader } from '@/components/page-header';
import { HandshakeWalkthrough } from './_components/handshake-walkthrough';

export default function HandshakePage() {
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        eyebrow="Secure channel"
        title="An SCP11b handshake, byte by byte"
        description="How a party's backend opens its own channel to its security domain on a meter: every command and response, every shared secret and derived key, computed live in your browser with throwaway keys on a demonstration channel — no live key is ever shown."
      />
      <HandshakeWalkthrough />
    </div>
  );
}
