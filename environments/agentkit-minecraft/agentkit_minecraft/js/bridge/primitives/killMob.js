'use strict'
// killMob(bot, name, timeout_s = 300): fight the nearest `name` within 48 blocks with
// mineflayer-pvp (best weapon equipped) and collect what it drops.

const { checkBot, checkName, restoreMovements } = require('./util')

const SEARCH_RADIUS = 48
const WEAPONS = ['netherite', 'diamond', 'iron', 'stone', 'golden', 'wooden']

function bestWeapon (bot) {
  const items = bot.inventory.items()
  for (const kind of ['_sword', '_axe']) {
    for (const tier of WEAPONS) {
      const it = items.find((i) => i.name === tier + kind)
      if (it) return it
    }
  }
  return null
}

function waitUntilGone (bot, entity) {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      bot.removeListener('entityGone', onGone)
      bot.removeListener('entityDead', onDead)
      bot.removeListener('stoppedAttacking', onStopped)
    }
    const onGone = (e) => { if (e === entity) { cleanup(); resolve() } }
    const onDead = (e) => { if (e === entity) { cleanup(); resolve() } }
    const onStopped = () => {
      setTimeout(() => {
        if (!entity.isValid || !bot.entities[entity.id]) { cleanup(); resolve() } else { cleanup(); reject(new Error(`lost track of the ${entity.name}`)) }
      }, 500)
    }
    bot.on('entityGone', onGone)
    bot.on('entityDead', onDead)
    bot.on('stoppedAttacking', onStopped)
  })
}

async function killMob (ctx, bot, name, timeoutS = 300) {
  checkBot(bot, 'killMob', 'bot, name, timeout_s')
  name = checkName(name, 'killMob')
  if (timeoutS == null) timeoutS = 300
  if (typeof timeoutS !== 'number' || !(timeoutS > 0)) throw new Error('timeout for killMob must be a positive number')
  if (!bot.registry.entitiesByName[name]) throw new Error(`No mob named ${name}`)
  const entity = bot.nearestEntity((e) => e.name === name && e.position.distanceTo(bot.entity.position) < SEARCH_RADIUS)
  if (!entity) return ctx.fail('killMob', `No ${name} within ${SEARCH_RADIUS} blocks; try exploreUntil first`)

  const weapon = bestWeapon(bot)
  if (weapon && (!bot.heldItem || bot.heldItem.name !== weapon.name)) await ctx.race(bot.equip(weapon, 'hand'))
  const lastPos = () => entity.position.clone()
  let deathPos = lastPos()
  const track = () => { if (entity.isValid) deathPos = lastPos() }
  bot.on('entityMoved', track)
  try {
    // mineflayer-pvp follows within 2 blocks of the block the mob stood in when the goal was
    // set, and a goal moves only when the mob has moved more than that: a knocked-back pig ends
    // up to 3.8 blocks away, out of the 3.5 reach, and the bot stood there for good. 1 keeps
    // the bot within reach.
    bot.pvp.followRange = 1
    bot.pvp.attack(entity)
    await ctx.within(waitUntilGone(bot, entity), Math.min(timeoutS, 3600) * 1000,
      `I could not kill the ${name} within ${timeoutS} s`, () => bot.pvp.stop())
  } catch (err) {
    ctx.check()
    try { bot.pvp.stop() } catch (e) { /* ignore */ }
    return ctx.fail('killMob', `Failed to kill ${name}: ${err.message}`)
  } finally {
    bot.removeListener('entityMoved', track)
  }
  try { bot.pvp.stop() } catch (e) { /* ignore */ }
  ctx.say(`Killed ${name}!`)

  // Collect drops near where it died.
  await ctx.sleep(600)
  const drops = Object.values(bot.entities).filter((e) => e.name === 'item' && e.position.distanceTo(deathPos) < 5)
  if (drops.length) {
    try {
      await ctx.within(bot.collectBlock.collect(drops, { ignoreNoPath: true }), 15000, 'collecting the drops took too long',
        () => { try { bot.collectBlock.cancelTask() } catch (e) { /* ignore */ } })
      ctx.say(`Collected ${drops.length} dropped item stack(s)`)
    } catch (err) {
      ctx.check()
      ctx.say(`Could not collect the drops: ${err.message}`)
    } finally {
      restoreMovements(bot)
    }
  }
  return true
}

module.exports = killMob
