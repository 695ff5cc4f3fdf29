'use strict'
// Death and respawn (replaces flying-squid's respawn plugin).
//
// flying-squid 1.12.0 on 1.20.x never respawns a player: it compares the client_command
// action with 0 while the protocol now gives 'perform_respawn', and its respawn packet uses
// field names and a dimension that no longer serialise. Here:
// - a player whose health reaches 0 dies once: "<name> died" in chat, the inventory (and
//   cursor) is dropped where they died unless /gamerule keepInventory true, open windows close;
// - perform_respawn sends a valid respawn packet, the chunks around the world spawn (the
//   client drops its chunks on respawn), the position, full health and food, the inventory,
//   and shows the player again to the others.
// player._sendRespawn is also what flying-squid's changeWorld calls.

module.exports.player = function (player, serv) {
  player._dead = false

  player._sendRespawn = (newDifficulty, newGameMode, newDimension) => {
    const nether = newDimension === -1
    const name = nether ? 'minecraft:the_nether' : 'minecraft:overworld'
    player._client.write('respawn', {
      dimension: name,
      worldName: nether ? (serv.dimensionNames?.[-1] ?? name) : name,
      hashedSeed: serv.hashedSeed,
      gamemode: newGameMode ?? player.gameMode,
      previousGamemode: player.prevGameMode ?? 255,
      isDebug: false,
      isFlat: false,
      death: undefined,
      portalCooldown: 0,
      copyMetadata: false
    })
  }

  function dropEverything () {
    const items = []
    for (let i = 0; i < 46; i++) {
      const it = player.inventory.slots[i]
      if (it) items.push(it)
    }
    if (player._cursor) items.push(player._cursor)
    player.clearInventory()
    for (const it of items) {
      serv.dropItem(player.world, player.position.offset(0, 0.5, 0), { type: it.type, count: it.count, nbt: it.nbt }, { pickupDelayMs: 2000 })
    }
  }

  function onDeath () {
    player._dead = true
    try { if (player._view) serv.closeView(player) } catch (e) {}
    if (!serv.gamerules?.keepInventory) dropEverything()
    serv.broadcast(`${player.username} died`)
    serv.info?.(`${player.username} died`)
  }

  const originalUpdateHealth = player.updateHealth
  player.updateHealth = (health) => {
    originalUpdateHealth(Math.max(0, health))
    if (player.health <= 0 && !player._dead) onDeath()
  }

  async function respawn () {
    player._dead = false
    const spawn = await serv.getSpawnPoint(serv.overworld)
    if (player.world !== serv.overworld) player.world = serv.overworld
    player._sendRespawn(undefined, player.gameMode, 0)
    for (const id of Object.keys(player.loadedChunks || {})) {
      const [x, z] = id.split(',').map(Number)
      serv._worldUnloadPlayerChunk(x, z, player)
    }
    player.spawnPoint = spawn.clone()
    player.position = spawn.clone()
    player.knownPosition = undefined
    player.sendSpawnPosition()
    await player.worldSendInitialChunks()
    player.sendSelfPosition(spawn.clone())
    player.food = 20
    player.foodSaturation = 5
    player.updateHealth(20)
    player._client.write('held_item_slot', { slot: player.heldItemSlot })
    player.resyncInventory()
    try { player.setXp?.(player.xp ?? 0) } catch (e) {}
    // show the player again to everyone around
    player._writeOthersNearby('entity_destroy', { entityIds: [player.id] })
    for (const p of serv.players) {
      if (p !== player && p.nearbyEntities) p.nearbyEntities = p.nearbyEntities.filter(e => e !== player)
    }
    player.nearbyEntities = (player.nearbyEntities || []).filter(e => e.type !== 'player')
    player.updateAndSpawn()
    player.worldSendRestOfChunks()
  }

  player._client.on('client_command', (data) => {
    const action = data.actionId ?? data.payload
    if (action !== 0 && action !== 'perform_respawn') return
    if (!player._dead && player.health > 0) return
    player.behavior('requestRespawn', {}, () => respawn().catch(err => serv.emit('error', err)))
  })
}
