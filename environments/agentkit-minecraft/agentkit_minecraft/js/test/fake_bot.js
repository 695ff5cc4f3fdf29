'use strict'
// A bot without a server, for tests of the program runner: a real 1.20.4 registry, a flat
// inventory, one oak log nearby, and a pathfinder that only records goals.

const { Vec3 } = require('vec3')
const registry = require('prismarine-registry')('1.20.4')
const Block = require('prismarine-block')(registry)
const Item = require('prismarine-item')(registry)

function fakeBot () {
  const log = new Block(registry.blocksByName.oak_log.id, 1, 0)
  log.position = new Vec3(3, 64, 0)
  const items = [new Item(registry.itemsByName.oak_planks.id, 5), new Item(registry.itemsByName.stick.id, 2)]
  items.forEach((item, i) => { item.slot = 36 + i })
  const entity = { id: 1, name: 'player', type: 'player', username: 'bot', position: new Vec3(0.5, 64, 0.5), velocity: new Vec3(0, 0, 0), yaw: 0, pitch: 0, onGround: true, height: 1.8 }
  const bot = {
    registry,
    entity,
    username: 'bot',
    health: 20,
    food: 20,
    entities: { 1: entity },
    players: { bot: { username: 'bot', ping: 0, entity } },
    chats: [],
    inventory: { items: () => items.slice(), slots: [], emptySlotCount: () => 34 },
    pathfinder: {
      goals: [],
      movements: { canDig: true, allowParkour: true },
      setGoal (goal) { this.goals.push(goal); this.goal = goal },
      isMoving: () => false,
      stop () { this.goal = null },
      setMovements (m) { this.movements = m },
      async goto (goal) { this.goals.push(goal) }
    },
    findBlocks ({ matching }) { return [].concat(matching).includes(log.type) ? [log.position] : [] },
    findBlock (options) { return this.findBlocks(options).length ? log : null },
    nearestEntity: () => null,
    blockAt (p) { return p.equals(log.position) ? log : null },
    chat (message) { this.chats.push(message) },
    waitForTicks: (n) => new Promise((resolve) => setTimeout(resolve, n * 5)),
    clearControlStates () {},
    setControlState () {}
  }
  return bot
}

module.exports = { fakeBot }
