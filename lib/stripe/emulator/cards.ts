/**
 * Stripe's test payment methods the emulator knows. A card that "fails later" attaches and pays at
 * checkout (the emulator lets its first charge through, so the demo can show a failed renewal
 * without waiting out a trial); every later charge of it fails. Bank debits settle after a delay.
 */
export const TEST_CARDS = { success: '4242424242424242', declined: '4000000000000002', failsLater: '4000000000000341' } as const;
export const TEST_BANK_ACCOUNTS = { success: '000123456789', failure: '000111111116' } as const;
