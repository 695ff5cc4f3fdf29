'use strict'
// Animals in the world.
//
// flying-squid spawns no mobs at all, so a bot exploring for a pig or a sheep never finds
// one. Here, the first time any player is sent a chunk, about one chunk in eight gets a
// small group (2-4) of pigs, cows, sheep or chickens standing on grass. Which chunks, which
// animal and where are fixed by the seed; only the moment they appear depends on where
// players go. None appear within 12 blocks of the world spawn. They have no AI (they stand
// still) but can be killed for their loot (mobs.js). /gamerule doMobSpawning false stops it.

const Vec3 = require('vec3').Vec3
const { hash } = require('../lib/terrain')

const KINDS = ['pig', 'cow', 'sheep', 'chicken']

module.exports.server = function (serv) {
  const terrain = serv.terrain
  if (!terrain) return
  const seed = terrain.seed ^ 0x5bd1e995
  const populated = new Set()

  function populate (cx, cz) {
    const key = cx + ',' + cz
    if (populated.has(key)) return
    populated.add(key)
    if (serv.gamerules && serv.gamerules.doMobSpawning === false) return
    if (hash(seed, cx, cz, 1) >= 0.125) return
    const kind = KINDS[Math.floor(hash(seed, cx, cz, 2) * KINDS.length)]
    const n = 2 + Math.floor(hash(seed, cx, cz, 3) * 3)
    const spawn = serv.worldSpawn
    for (let i = 0; i < n; i++) {
      const x = cx * 16 + 2 + Math.floor(hash(seed, cx, cz, 10 + i) * 12)
      const z = cz * 16 + 2 + Math.floor(hash(seed, cx, cz, 20 + i) * 12)
      const col = terrain.column(x, z)
      if (col.kind !== 'grass') continue
      if (terrain.treesNear(x, z, 1).length) continue
      const pos = new Vec3(x + 0.5, col.h + 1, z + 0.5)
      if (spawn && Math.hypot(pos.x - spawn.x, pos.z - spawn.z) < 12) continue
      try {
        serv.spawnMob(kind, serv.overworld, pos, { yaw: Math.floor(hash(seed, x, z, 4) * 256) - 128 })
      } catch (err) {
        serv.debug?.(err)
        return
      }
    }
  }

  const load = serv._worldLoadPlayerChunk
  serv._worldLoadPlayerChunk = (chunkX, chunkZ, player) => {
    const fresh = load(chunkX, chunkZ, player)
    if (player.world === serv.overworld) populate(chunkX, chunkZ)
    return fresh
  }
}
