'use strict'
// Hunger and eating (flying-squid has neither).
//
// Without these, food stays at 20 forever, mineflayer's bot.consume() refuses to eat ("Food
// is full") or, when food is lower, waits for an "eating finished" status that never comes.
// Here, a simplified vanilla model:
// - exhaustion from sprinting (0.1 per block), jumping (0.05, 0.2 when sprinting), breaking a
//   block (0.005) and attacking (0.1); every 4 points take one saturation point, or one
//   food point when saturation is empty;
// - with food >= 18 a hurt player heals 1 health every 4 s (costing 6 exhaustion); at food 0
//   they lose 1 health every 4 s, down to 10 (the easy-difficulty floor);
// - using a food item (use_item, as bot.consume does) eats it after 1.6 s (0.8 s for dried
//   kelp): one item is used, food and saturation rise by minecraft-data's values, and the
//   player gets entity status 9 (eating finished). Switching slots or releasing cancels.
// Eating effects (golden apples, suspicious stew, ...) are not applied.

const { maker } = require('../lib/items')

const ALWAYS_EDIBLE = new Set(['golden_apple', 'enchanted_golden_apple', 'chorus_fruit', 'honey_bottle', 'milk_bucket', 'potion'])

module.exports.server = function (serv) {
  serv.on('tick', (delta) => {
    for (const p of serv.players) {
      try { p._foodTick?.(delta) } catch (err) { serv.debug?.(err) }
    }
  })
}

module.exports.player = function (player, serv) {
  const { registry } = serv
  const { clone } = maker(registry)
  player.food = player.food ?? 20
  player.foodSaturation = player.foodSaturation ?? 5
  player.exhaustion = 0
  let eating = null
  let timer = 0

  player.addExhaustion = (amount) => {
    if (player.gameMode === 1 || player.gameMode === 3 || player._dead) return
    player.exhaustion += amount
    let changed = false
    while (player.exhaustion >= 4) {
      player.exhaustion -= 4
      if (player.foodSaturation > 0) player.foodSaturation = Math.max(0, player.foodSaturation - 1)
      else if (player.food > 0) { player.food -= 1; changed = true }
    }
    if (changed) player.updateFood(player.food)
  }

  player.on('move', ({ position, onGround }) => {
    if (!player.position || !position) return
    const dx = position.x - player.position.x
    const dz = position.z - player.position.z
    const dist = Math.sqrt(dx * dx + dz * dz)
    if (player.sprinting && dist < 10) player.addExhaustion(0.1 * dist)
    if (player.onGround && !onGround && position.y > player.position.y) player.addExhaustion(player.sprinting ? 0.2 : 0.05)
  })
  player.on('dug', () => player.addExhaustion(0.005))
  player.on('attack', () => player.addExhaustion(0.1))

  function stopEating () {
    if (eating) clearTimeout(eating.timeout)
    eating = null
  }

  function startEating () {
    const slot = 36 + player.heldItemSlot
    const held = player.inventory.slots[slot]
    if (!held) return
    const food = registry.foodsByName?.[held.name]
    if (!food) return
    if (player.food >= 20 && !ALWAYS_EDIBLE.has(held.name) && player.gameMode !== 1) return
    stopEating()
    const ms = held.name === 'dried_kelp' ? 800 : 1600
    eating = {
      slot,
      type: held.type,
      timeout: setTimeout(() => {
        eating = null
        const it = player.inventory.slots[slot]
        if (!it || it.type !== held.type || player._dead) return
        if (player.gameMode !== 1) player.inventory.updateSlot(slot, clone(it, it.count - 1))
        player.food = Math.min(20, player.food + food.foodPoints)
        player.foodSaturation = Math.min(player.food, player.foodSaturation + food.saturation)
        player.updateFood(player.food)
        player._client.write('entity_status', { entityId: player.id, entityStatus: 9 })
      }, ms)
    }
  }

  player._client.on('use_item', ({ hand }) => { if (!hand) startEating() })
  player._client.on('held_item_slot', stopEating)
  player._client.on('block_dig', ({ status }) => { if (status === 5) stopEating() })

  player._foodTick = (delta) => {
    if (player._dead || player.gameMode === 1 || player.gameMode === 3 || !player._client || player._client.ended) return
    timer += delta
    if (timer < 4) return
    timer = 0
    if (player.food >= 18 && player.health > 0 && player.health < 20) {
      player.updateHealth(Math.min(20, player.health + 1))
      player.addExhaustion(6)
    } else if (player.food <= 0 && player.health > 10) {
      player.updateHealth(player.health - 1)
    }
  }
  player._client.once('end', stopEating)
}
