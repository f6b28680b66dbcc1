import { COMMAND_TYPES, type CommandType } from './meeting';
import { COMMAND_PERMISSIONS, mayRun, publishableSources } from './permissions';

describe('the permission table', () => {
  // The expected table, written out: a change to who may do what must change this too.
  const expected: Record<CommandType, { moderator: boolean; viewer: boolean; presenterViewer: boolean }> = {
    'audio.set-mode': { moderator: true, viewer: true, presenterViewer: true },
    'participant.leave': { moderator: true, viewer: true, presenterViewer: true },
    'participant.set-role': { moderator: true, viewer: false, presenterViewer: false },
    'meeting.end': { moderator: true, viewer: false, presenterViewer: false },
  };

  it('covers every command', () => {
    expect(Object.keys(COMMAND_PERMISSIONS).sort()).toEqual([...COMMAND_TYPES].sort());
    expect(Object.keys(expected).sort()).toEqual([...COMMAND_TYPES].sort());
  });

  it.each(COMMAND_TYPES)('%s: moderator, viewer and presenting viewer', (type) => {
    expect({
      moderator: mayRun(type, { role: 'moderator', presenter: false }),
      viewer: mayRun(type, { role: 'viewer', presenter: false }),
      presenterViewer: mayRun(type, { role: 'viewer', presenter: true }),
    }).toEqual(expected[type]);
  });
});

describe('what a participant may publish to LiveKit', () => {
  it('lets a microphone participant publish camera and microphone', () => {
    expect(publishableSources({ role: 'viewer', presenter: false, audioMode: 'microphone' })).toEqual([
      'camera',
      'microphone',
    ]);
  });

  it('never lets a listen-only participant publish a microphone, whatever the role', () => {
    for (const role of ['viewer', 'moderator'] as const) {
      expect(publishableSources({ role, presenter: false, audioMode: 'listen-only' })).not.toContain('microphone');
    }
  });

  it('adds screen share for the presenter only', () => {
    expect(publishableSources({ role: 'viewer', presenter: true, audioMode: 'listen-only' })).toEqual([
      'camera',
      'screen_share',
      'screen_share_audio',
    ]);
    expect(publishableSources({ role: 'moderator', presenter: false, audioMode: 'microphone' })).not.toContain(
      'screen_share',
    );
  });
});
