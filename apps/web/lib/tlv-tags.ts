// Names of the BER-TLV tags that appear in the meter's APDUs (GP Card Specification v2.3.1 §11,
// GP Amendment F §6.5 for SCP11, ISO/IEC 7816-4 for FCI, and the compact certificate of
// @hydra/globalplatform), keyed by upper-case hex. Shared by the handshake walkthrough and the
// meter inspector's trace.

/** Tag (upper-case hex) → what it holds. */
export const TLV_TAG_NAMES: Readonly<Record<string, string>> = {
  '6F': 'FCI template',
  '84': 'DF name (AID)',
  '4F': 'AID',
  '7F21': 'certificate',
  BF21: 'certificate store',
  '93': 'serial number',
  '42': 'issuer id',
  '5F20': 'subject id',
  '95': 'role / key usage',
  '5F25': 'valid from',
  '5F24': 'valid until',
  '7F49': 'public key',
  B0: 'public key point',
  '5F37': 'signature',
  A6: 'control reference template',
  '83': 'key id ‖ version',
  '90': 'SCP identifier and parameters',
  '80': 'key type',
  '81': 'key length',
  '5F49': 'ephemeral public key',
  '86': 'receipt',
  E3: 'GP registry entry',
  '9F70': 'life cycle state',
  C5: 'privileges',
  C4: 'load file AID / load file data block',
  CC: 'associated security domain AID',
  CE: 'version number',
  E2: 'DAP block',
  C3: 'DAP signature',
  C9: 'application-specific install parameters',
  '5C': 'tag list',
};

/** Tags whose constructed bit is set but whose value is not a sequence of data objects (GP B0: an EC point). */
export const OPAQUE_CONSTRUCTED_TAGS: ReadonlySet<number> = new Set([0xb0]);
