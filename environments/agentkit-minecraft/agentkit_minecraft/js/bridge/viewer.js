'use strict'
// A live 3D view of the bot's world for a browser (prismarine-viewer's page and renderer):
// an HTTP server on 127.0.0.1 only that serves the viewer's bundled page, textures and
// block models from node_modules (nothing from a CDN), and streams the chunks around the
// bot, block changes, entities and the bot's position over socket.io as they happen.
//
// prismarine-viewer ships its own server for a mineflayer bot, but it listens on every
// interface and prints to stdout, which the bridge keeps for its ready line; this one binds
// to loopback, picks a free port when given 0, and stops with the bot.

const http = require('node:http')
const { createRequire } = require('node:module')

async function startViewer (bot, { port = 0, viewDistance = 4 } = {}) {
  // Resolved on use, so a bridge without the viewer installed still runs. express and
  // socket.io come as prismarine-viewer itself resolves them: the versions it was built
  // and tested with, whatever npm hoisted to the top level.
  const viewerRequire = createRequire(require.resolve('prismarine-viewer/package.json'))
  const express = viewerRequire('express')
  const { Server } = viewerRequire('socket.io')
  const { setupRoutes } = viewerRequire('./lib/common')
  const { WorldView } = viewerRequire('./viewer/lib/worldView') // not ./viewer: its renderer needs node-canvas

  const app = express()
  setupRoutes(app)
  const server = http.createServer(app)
  const io = new Server(server, { path: '/socket.io' })
  const unsubscribe = new Set()

  io.on('connection', (socket) => {
    socket.emit('version', bot.version)
    const view = new WorldView(bot.world, viewDistance, bot.entity.position, socket)
    view.init(bot.entity.position).catch(() => {})
    const follow = () => {
      // third person: the page draws the bot's own mesh at its position
      socket.emit('position', { pos: bot.entity.position, yaw: bot.entity.yaw, addMesh: true })
      view.updatePosition(bot.entity.position).catch(() => {})
    }
    follow()
    bot.on('move', follow)
    view.listenToBot(bot)
    const stop = () => {
      bot.removeListener('move', follow)
      try { view.removeListenersFromBot(bot) } catch (e) { /* the bot may be gone */ }
    }
    unsubscribe.add(stop)
    socket.on('disconnect', () => { stop(); unsubscribe.delete(stop) })
  })

  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => { server.removeListener('error', reject); resolve() })
  })

  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close () {
      for (const stop of unsubscribe) stop()
      unsubscribe.clear()
      io.close()
      server.close()
      if (server.closeAllConnections) server.closeAllConnections()
    }
  }
}

module.exports = { startViewer }
