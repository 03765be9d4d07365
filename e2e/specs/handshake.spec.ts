// The SCP11b walkthrough: students step through the handshake from the keyboard and see each
// derived value checked live.
import { expect, test } from '../fixtures';

test('steps through an SCP11b handshake and sees the receipt verified', async ({ page }) => {
  await page.goto('/handshake');
  await expect(page.getByRole('heading', { level: 1, name: /SCP11b handshake, byte by byte/ })).toBeVisible();
  const steps = page.getByRole('navigation', { name: 'Handshake steps' });
  await expect(steps.getByRole('listitem')).toHaveCount(8);
  await page.getByRole('button', { name: 'Next step →' }).click();
  await expect(page.getByRole('heading', { name: /GET DATA \(BF21\)/ })).toBeVisible();
  await expect(page.getByText('80 CA BF 21')).toBeVisible();
  await steps.getByRole('button', { name: /check the receipt/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/— matches/)).toBeVisible();
  const before = await page.getByText(/— matches/).locator('..').innerText();
  await page.getByRole('button', { name: 'Run again with new keys' }).click();
  await steps.getByRole('button', { name: /check the receipt/ }).click();
  await expect(page.getByText(/— matches/)).toBeVisible();
  expect(await page.getByText(/— matches/).locator('..').innerText()).not.toBe(before);
});
