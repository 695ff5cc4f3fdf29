'use strict'
// The primitives, by name. Each is async (ctx, bot, ...args): ctx is the run's RunContext
// (feedback, cancellation, failure counts); programs see them as async (bot, ...args).

const PRIMITIVES = {
  mineBlock: require('./mineBlock'),
  craftItem: require('./craftItem'),
  placeItem: require('./placeItem'),
  smeltItem: require('./smeltItem'),
  killMob: require('./killMob'),
  exploreUntil: require('./exploreUntil'),
  depositItemIntoChest: require('./depositItemIntoChest'),
  getItemFromChest: require('./getItemFromChest'),
  chat: require('./chat')
}

module.exports = { PRIMITIVES }
