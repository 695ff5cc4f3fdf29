'use strict'
// Mobs: spawning by modern names, health, weapon damage, death and loot.
//
// flying-squid's serv.spawnMob and /summon only know entities whose minecraft-data type is
// 'mob'; since 1.18 pig, cow, zombie, ... are 'animal' / 'hostile', so /summon pig does nothing
// (or crashes on registry.mobs). Mobs also have 20 health whatever they are, every hit does 1
// damage, and a mob at 0 health is forgotten by the server but never removed from clients.
// Here:
// - serv.spawnMob works for every living entity type, with vanilla max health and size;
// - /summon <name> [x y z] (with ~ relative coordinates) and spawn eggs spawn mobs by
//   1.18+ names;
// - a hit does the vanilla attack damage of the held item (fist 1, wooden sword 4, ...);
// - a mob at 0 health plays its death (entity_status 3), drops vanilla loot (pig ->
//   porkchop, cow -> beef and leather, ...), and is removed one second later.
// There is no AI: mobs stand still (they fall and take knockback).

const Vec3 = require('vec3').Vec3
const crypto = require('crypto')
const UserError = require('flying-squid').UserError

const LIVING = new Set(['mob', 'animal', 'hostile', 'water_creature', 'passive', 'ambient', 'living'])

const HEALTH = {
  pig: 10, cow: 10, mooshroom: 10, sheep: 8, chicken: 4, rabbit: 3, horse: 20, donkey: 20, mule: 20, llama: 20,
  wolf: 8, cat: 10, ocelot: 10, fox: 10, goat: 10, bee: 10, parrot: 6, bat: 6, squid: 10, glow_squid: 10,
  cod: 3, salmon: 3, tropical_fish: 3, pufferfish: 3, turtle: 30, panda: 20, polar_bear: 30, axolotl: 14, frog: 10,
  villager: 20, wandering_trader: 20, iron_golem: 100, snow_golem: 4,
  zombie: 20, husk: 20, drowned: 20, zombie_villager: 20, skeleton: 20, stray: 20, creeper: 20, spider: 16,
  cave_spider: 12, enderman: 40, witch: 26, slime: 4, magma_cube: 4, blaze: 20, ghast: 10, phantom: 20,
  pillager: 24, vindicator: 24, silverfish: 8, endermite: 8, guardian: 30, piglin: 16, hoglin: 40
}

// [item, min, max, chance]
const LOOT = {
  pig: [['porkchop', 1, 3]],
  cow: [['beef', 1, 3], ['leather', 0, 2]],
  mooshroom: [['beef', 1, 3], ['leather', 0, 2]],
  sheep: [['mutton', 1, 2], ['white_wool', 1, 1]],
  chicken: [['chicken', 1, 1], ['feather', 0, 2]],
  rabbit: [['rabbit', 0, 1], ['rabbit_hide', 0, 1]],
  horse: [['leather', 0, 2]],
  donkey: [['leather', 0, 2]],
  llama: [['leather', 0, 2]],
  squid: [['ink_sac', 1, 3]],
  glow_squid: [['glow_ink_sac', 1, 3]],
  cod: [['cod', 1, 1]],
  salmon: [['salmon', 1, 1]],
  zombie: [['rotten_flesh', 0, 2]],
  husk: [['rotten_flesh', 0, 2]],
  drowned: [['rotten_flesh', 0, 2]],
  zombie_villager: [['rotten_flesh', 0, 2]],
  skeleton: [['bone', 0, 2], ['arrow', 0, 2]],
  stray: [['bone', 0, 2], ['arrow', 0, 2]],
  spider: [['string', 0, 2], ['spider_eye', 1, 1, 0.33]],
  cave_spider: [['string', 0, 2], ['spider_eye', 1, 1, 0.33]],
  creeper: [['gunpowder', 0, 2]],
  enderman: [['ender_pearl', 0, 1]],
  slime: [['slime_ball', 0, 2]],
  witch: [['redstone', 0, 2], ['glass_bottle', 0, 2], ['sugar', 0, 2]],
  blaze: [['blaze_rod', 0, 1]],
  ghast: [['ghast_tear', 0, 1], ['gunpowder', 0, 2]],
  iron_golem: [['iron_ingot', 3, 5], ['poppy', 0, 2]],
  snow_golem: [['snowball', 0, 15]]
}

const DAMAGE = {
  wooden_sword: 4, stone_sword: 5, iron_sword: 6, golden_sword: 4, diamond_sword: 7, netherite_sword: 8,
  wooden_axe: 7, stone_axe: 9, iron_axe: 9, golden_axe: 7, diamond_axe: 9, netherite_axe: 10,
  wooden_pickaxe: 2, stone_pickaxe: 3, iron_pickaxe: 4, golden_pickaxe: 2, diamond_pickaxe: 5, netherite_pickaxe: 6,
  wooden_shovel: 2.5, stone_shovel: 3.5, iron_shovel: 4.5, golden_shovel: 2.5, diamond_shovel: 5.5, netherite_shovel: 6.5,
  trident: 9
}

function rollLoot (registry, name, rand = Math.random) {
  const table = LOOT[name]
  const out = []
  if (table) {
    for (const [item, min, max, chance = 1] of table) {
      if (rand() >= chance) continue
      const n = min + Math.floor(rand() * (max - min + 1))
      if (n > 0 && registry.itemsByName[item]) out.push({ name: item, count: n })
    }
    return out
  }
  const entry = (registry.entityLoot || {})[name]
  for (const d of entry?.drops || []) {
    if (d.playerKill || rand() >= (d.dropChance ?? 1)) continue
    const [min, max] = d.stackSizeRange || [1, 1]
    const n = Math.max(0, min) + Math.floor(rand() * (Math.max(min, max) - Math.max(0, min) + 1))
    if (n > 0 && registry.itemsByName[d.item]) out.push({ name: d.item, count: n })
  }
  return out
}

module.exports.rollLoot = rollLoot
module.exports.LIVING = LIVING

module.exports.server = function (serv, settings) {
  const { registry } = serv
  const maxEntities = settings['max-entities'] ?? 100
  const hurtEvent = registry.version['>=']('1.19.4')

  serv.isLivingType = (entityData) => !!entityData && LIVING.has(entityData.type)

  serv.spawnMob = (type, world, position, { pitch = 0, yaw = 0, headPitch = 0, velocity = new Vec3(0, 0, 0), metadata = [] } = {}) => {
    const data = typeof type === 'string' ? registry.entitiesByName[type] : registry.entities[type]
    if (!data) throw new UserError('Unknown entity ' + type)
    const mob = serv.initEntity('mob', data.id, world, position.clone())
    mob.uuid = crypto.randomUUID()
    mob.name = data.name
    mob.velocity = velocity
    mob.pitch = pitch
    mob.headPitch = headPitch
    mob.yaw = yaw
    mob.gravity = new Vec3(0, -20, 0)
    mob.terminalvelocity = new Vec3(27, 27, 27)
    mob.friction = new Vec3(15, 0, 15)
    mob.size = new Vec3(data.width ?? 0.6, data.height ?? 1.8, data.width ?? 0.6)
    mob.maxHealth = HEALTH[data.name] ?? 20
    mob.health = mob.maxHealth
    mob.metadata = metadata
    mob.updateAndSpawn()
    return mob
  }

  serv.summonEntity = (name, world, position) => {
    const data = registry.entitiesByName[String(name).replace(/^minecraft:/, '')]
    if (!data || data.type === 'player') throw new UserError(`Unknown entity '${name}'`)
    if (Object.keys(serv.entities).length >= maxEntities) throw new UserError('Too many entities')
    if (serv.isLivingType(data)) return serv.spawnMob(data.id, world, position)
    return serv.spawnObject(data.id, world, position.clone(), { velocity: new Vec3(0, 0, 0) })
  }

  // spawn eggs of every living entity (flying-squid registers only minecraft-data's 'mob'
  // type, on 'asap'; this listener comes after it)
  serv.once('asap', () => {
    for (const data of registry.entitiesArray) {
      if (!serv.isLivingType(data) || !registry.itemsByName[data.name + '_spawn_egg']) continue
      serv.onItemPlace(data.name + '_spawn_egg', ({ player, placedPosition }) => {
        serv.spawnMob(data.id, player.world, placedPosition.offset(0.5, 0, 0.5))
        return { id: -1, data: 0 }
      }, false)
    }
  })

  serv.on('newEntity', (entity) => {
    if (entity.type !== 'mob') return
    entity.takeDamage = ({ damage = 1, velocity, maxVelocity = new Vec3(4, 4, 4) } = {}) => {
      if (entity.dead) return
      entity.health -= damage
      if (hurtEvent) {
        entity._writeOthersNearby('damage_event', { entityId: entity.id, sourceTypeId: 0, sourceCauseId: 0, sourceDirectId: 0, sourcePosition: undefined })
      }
      if (velocity) entity.sendVelocity(velocity.scaled(0.6), maxVelocity)
      if (entity.health <= 0) die()
    }
    entity.updateHealth = (health) => { entity.health = health }
    function die () {
      entity.dead = true
      entity._writeOthersNearby('entity_status', { entityId: entity.id, entityStatus: 3 })
      for (const { name, count } of rollLoot(registry, entity.name)) {
        serv.dropItem(entity.world, entity.position.offset(0, 0.3, 0), { type: name, count })
      }
      setTimeout(() => { if (serv.entities[entity.id] === entity) entity.destroy() }, 1000)
    }
  })

  serv.commands.add({
    base: 'summon',
    info: 'Summon an entity',
    usage: '/summon <entity> [x y z]',
    tab: ['entity'],
    op: true,
    parse (str) {
      const args = str.trim().split(/\s+/)
      if (!args[0]) return false
      if (args.length !== 1 && args.length < 4) return false
      return args
    },
    action (args, ctx) {
      const origin = ctx.player ? ctx.player.position : serv.worldSpawn ?? new Vec3(0, 80, 0)
      const world = ctx.player ? ctx.player.world : serv.overworld
      let pos = origin.clone()
      if (args.length >= 4) {
        pos = new Vec3(serv.posFromString(args[1], origin.x), serv.posFromString(args[2], origin.y), serv.posFromString(args[3], origin.z))
      }
      const entity = serv.summonEntity(args[0], world, pos)
      const msg = `Summoned new ${registry.entities[entity.entityType]?.displayName ?? args[0]}`
      if (ctx.player) ctx.player.chat(msg)
      else serv.info(msg)
    }
  })
}

module.exports.player = function (player) {
  player.on('attack', (data) => {
    const held = player.inventory.slots[36 + player.heldItemSlot]
    data.damage = (held && DAMAGE[held.name]) || 1
  })
}
