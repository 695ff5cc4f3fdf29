'use strict'
// World generation glue: spawn point and chunk lifetime.
//
// - The terrain itself is ../lib/terrain.js (server.js passes it to flying-squid as the
//   generation module). flying-squid's default spawn is a random spot in 0..30 found by
//   scanning down from y=81; here every player spawns at the seed's fixed spawn point, on
//   grass next to trees (terrain.spawn()).
// - flying-squid unloads a chunk column when no player has it in view. With no world
//   folder that throws away every edit (dug blocks, placed chests) and the next visitor
//   gets a freshly generated chunk. Columns are kept in memory instead.

const Vec3 = require('vec3').Vec3
const { createTerrain } = require('../lib/terrain')

module.exports.server = function (serv, settings) {
  const seed = settings.agentkit?.seed ?? settings.generation?.options?.seed ?? 0
  const terrain = createTerrain(seed)
  serv.terrain = terrain
  const sp = terrain.spawn()
  serv.worldSpawn = new Vec3(sp.x + 0.5, sp.y, sp.z + 0.5)

  const originalGetSpawnPoint = serv.getSpawnPoint
  serv.getSpawnPoint = async (world) => {
    if (world === serv.overworld || !originalGetSpawnPoint) return serv.worldSpawn.clone()
    return originalGetSpawnPoint(world)
  }

  serv._worldUnloadPlayerChunk = (chunkX, chunkZ, player) => {
    const id = chunkX + ',' + chunkZ
    delete player.loadedChunks[id]
    if (serv._worldChunksUsed[id] > 0) serv._worldChunksUsed[id]--
    return false // never drop the column: it is the only copy of the world
  }
}
