/** The socket.io room of a meeting's connections, shared by the gateways. */
export const meetingRoom = (meetingId: string) => `meeting:${meetingId}`;

/**
 * Options of the one socket.io server; every gateway must pass the same, since whichever Nest
 * sets up first configures the server. Commands are small: 64 KiB is plenty, and bigger
 * messages drop the connection.
 */
export const SOCKET_OPTIONS = { cors: false, maxHttpBufferSize: 64 * 1024 } as const;
