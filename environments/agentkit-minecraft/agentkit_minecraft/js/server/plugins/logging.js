'use strict'
// Logging (replaces flying-squid's log plugin; server.js installs it in that plugin's place).
//
// flying-squid's log plugin, as soon as it is loaded, opens a readline prompt on
// process.stdin/stdout, writes "> " and cursor escapes to stdout before every log line, patches
// console.log and installs an exit hook. stdout is the JSON-lines channel to our parent (and
// the test runner's channel when the server runs in-process), so none of that may happen.
// This plugin provides the same serv.log / info / warn / err / debug API and writes each line
// to settings.agentkit.log (stderr by default). Console commands are read by server.js (CLI).

const LEVELS = { info: 'INFO', warn: 'WARN', err: 'ERROR' }

module.exports.server = function (serv, settings) {
  const sink = settings.agentkit?.log ?? ((line) => process.stderr.write(line + '\n'))
  serv.log = (message) => {
    const line = new Date().toISOString() + ' ' + message
    try { sink(serv.formatMessage ? (serv.formatMessage(line) || line) : line) } catch (e) {}
  }
  for (const [fn, label] of Object.entries(LEVELS)) serv[fn] = (message) => serv.log(`[${label}]: ${message}`)
  serv.debug = settings.debug
  serv.createLog = () => {}
  serv.on('error', (error) => serv.err('Server: ' + (error && error.stack ? error.stack : error)))
  serv.on('clientError', (client, error) => serv.err('Client ' + client.socket?.remoteAddress + ' : ' + (error && error.stack ? error.stack : error)))
  serv.on('listening', (port) => serv.info(`Server listening on port ${port}, version ${settings.version}`))
  serv.on('seed', (seed) => serv.info('World seed: ' + seed))
}

module.exports.player = function (player, serv) {
  player.on('connected', () => serv.info(`${player.username} (${player._client.socket?.remoteAddress}) connected`))
  player.on('disconnected', () => serv.info(player.username + ' disconnected'))
  player.on('chat', ({ message }) => serv.info('<' + player.username + '> ' + message))
  player.on('kicked', (kicker, reason) => serv.info(kicker.username + ' kicked ' + player.username + (reason ? ' (' + reason + ')' : '')))
}
