import * as fs from 'node:fs';
import type { WebSocketRoute } from '@playwright/test';
import { participantAction, createRoom, expect, join, test } from './kit';

test('chat: a public message, a mention that notifies, a reply, a reaction, a private conversation the third never sees, saving and clearing', async ({
  person,
}) => {
  const teacher = await person();
  const ana = await person();
  const ben = await person();
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Philosophie');
  await join(teacher, moderatorLink, 'M. Kant', 'listen-only');
  await join(ana, viewerLink, 'Ana', 'listen-only');
  await join(ben, viewerLink, 'Ben', 'listen-only');
  const messages = (page: typeof ana) => page.getByTestId('chat-messages').getByTestId('chat-message');

  // Public message, seen by all.
  await ana.getByTestId('chat-input').fill('Bonjour tout le monde');
  await ana.getByTestId('chat-input').press('Enter');
  for (const page of [teacher, ben]) await expect(messages(page)).toContainText(['Bonjour tout le monde']);

  // A mention with completion: Ana is notified.
  await teacher.getByTestId('chat-input').fill('@An');
  await teacher.getByTestId('mention-suggestions').getByText('@Ana').click();
  await teacher.getByTestId('chat-input').pressSequentially('peux-tu lire la suite ?');
  await teacher.getByTestId('chat-send').click();
  await expect(ana.getByTestId('chat-notification')).toContainText('M. Kant');
  await expect(messages(ana).last()).toContainText('@Ana peux-tu lire la suite ?');

  // Ben replies to Ana's message; the quote shows for everyone.
  const anaMessage = messages(ben).filter({ hasText: 'Bonjour tout le monde' });
  await anaMessage.hover();
  await anaMessage.getByTestId('chat-reply').click();
  await ben.getByTestId('chat-input').fill('Bonjour Ana !');
  await ben.getByTestId('chat-input').press('Enter');
  await expect(messages(teacher).last().getByTestId('chat-quote')).toContainText('Ana: Bonjour tout le monde');

  // The teacher reacts to Ana's message.
  const forTeacher = messages(teacher).filter({ hasText: 'Bonjour tout le monde' }).first();
  await forTeacher.hover();
  await forTeacher.getByTestId('chat-react-heart').click();
  await expect(messages(ana).first().getByTestId('chat-reaction')).toHaveText('❤️ 1');

  // A private conversation between Ana and the teacher.
  await participantAction(ana.locator('li', { hasText: 'M. Kant' }), 'start-chat');
  await ana.getByTestId('chat-input').fill('Question privée : puis-je sortir ?');
  await ana.getByTestId('chat-input').press('Enter');
  await expect(teacher.getByTestId('chat-notification')).toContainText('Ana');
  const privateTab = teacher.getByTestId('chat-tab-private');
  await expect(privateTab.getByTestId('unread')).toHaveText('1');
  await privateTab.click();
  await expect(messages(teacher)).toContainText(['Question privée : puis-je sortir ?']);
  await expect(ben.getByText('Question privée')).toHaveCount(0);
  await expect(ben.getByTestId('chat-tab-private')).toHaveCount(0);

  // Save the public chat as text: the file has the messages, with names.
  await teacher.getByTestId('chat-tab-public').click();
  const [file] = await Promise.all([teacher.waitForEvent('download'), teacher.getByTestId('chat-save-text').click()]);
  const text = fs.readFileSync((await file.path())!, 'utf8');
  expect(text).toContain('Ana: Bonjour tout le monde');
  expect(text).toContain('Ben: Bonjour Ana !');
  expect(text).not.toContain('Question privée');

  // The teacher clears the public chat.
  await teacher.getByTestId('chat-clear').click();
  for (const page of [ana, ben]) {
    await page.getByTestId('chat-tab-public').click();
    await expect(page.getByTestId('chat-cleared')).toBeVisible();
    await expect(messages(page)).toHaveCount(0);
  }
});

test('chat: a message is shown as text, never run as markup', async ({ person }) => {
  const teacher = await person();
  const student = await person();
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Sécurité');
  await join(teacher, moderatorLink, 'Mme Turing', 'listen-only');
  await join(student, viewerLink, 'Mallory', 'listen-only');
  let dialogs = 0;
  teacher.on('dialog', (d) => (dialogs++, void d.dismiss()));
  const payload = '<img src=x onerror="alert(1)"><script>alert(2)</script> voir https://example.org/cours';
  await student.getByTestId('chat-input').fill(payload);
  await student.getByTestId('chat-input').press('Enter');
  const shown = teacher.getByTestId('chat-message').last();
  await expect(shown).toContainText('<img src=x onerror="alert(1)"><script>alert(2)</script>');
  await expect(shown.locator('img, script')).toHaveCount(0);
  await expect(shown.locator('a')).toHaveAttribute('href', 'https://example.org/cours');
  await expect(shown.locator('a')).toHaveAttribute('rel', 'noopener noreferrer nofollow');
  expect(dialogs).toBe(0);
});

test('chat: a student whose connection drops sees it, and once back has what was said meanwhile', async ({
  person,
}) => {
  const teacher = await person();
  const ana = await person();
  // Ana's classroom connection goes through the test, which can cut it as a network would: the
  // open WebSocket closes, and new ones are refused while the network is down.
  let down = false;
  const open = new Set<WebSocketRoute>();
  // What the server sent on each connection, by socket.io message name.
  const received: string[][] = [];
  await ana.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (down) return void ws.close({ code: 1006 });
    const names: string[] = [];
    received.push(names);
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => {
      const name = /^42\["([^"]+)"/.exec(String(m))?.[1];
      if (name) names.push(name);
      ws.send(m);
    });
    open.add(ws);
  });
  const { moderatorLink, viewerLink } = await createRoom(teacher, 'Géographie');
  await join(teacher, moderatorLink, 'Mme Reclus', 'listen-only');
  await join(ana, viewerLink, 'Ana', 'listen-only');
  const messages = (page: typeof ana) => page.getByTestId('chat-messages').getByTestId('chat-message');
  await teacher.getByTestId('chat-input').fill('Avant la coupure');
  await teacher.getByTestId('chat-input').press('Enter');
  await expect(messages(ana)).toContainText(['Avant la coupure']);

  // The network goes down: her page says so.
  down = true;
  for (const ws of open) await ws.close({ code: 1006 });
  open.clear();
  await expect(ana.getByTestId('reconnecting')).toBeVisible();
  // On a phone too, where it gets a row of its own instead of running over the meeting clock.
  const desktop = ana.viewportSize()!;
  await ana.setViewportSize({ width: 390, height: 844 });
  const banner = (await ana.getByTestId('reconnecting').boundingBox())!;
  const clock = (await ana.getByTestId('meeting-clock').boundingBox())!;
  expect(banner.y).toBeGreaterThanOrEqual(clock.y + clock.height);
  await ana.setViewportSize(desktop);
  await teacher.getByTestId('chat-input').fill('Pendant la coupure');
  await teacher.getByTestId('chat-input').press('Enter');
  await expect(messages(teacher)).toContainText(['Avant la coupure', 'Pendant la coupure']);

  // Back: the page resumes from what it held, with the message it missed, once, in order.
  down = false;
  await expect(ana.getByTestId('reconnecting')).toBeHidden({ timeout: 15_000 });
  await expect(messages(ana)).toHaveText([/Avant la coupure/, /Pendant la coupure/]);
  // Resumed, not reloaded: the missed events, then the server's word that she is up to date.
  expect(received.at(-1)!.slice(0, 2)).toEqual(['events', 'resumed']);
  expect(received.at(-1)).not.toContain('snapshot');
  await ana.getByTestId('chat-input').fill('Je suis revenue');
  await ana.getByTestId('chat-input').press('Enter');
  await expect(messages(teacher).last()).toContainText('Je suis revenue');
});
