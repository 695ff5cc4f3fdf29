'use strict'
// Player inventory: slot sync and helpers.
//
// flying-squid sends every inventory change as set_slot for window 0 with no stateId, also
// while a chest or crafting table is open. mineflayer applies window-0 updates to its own
// inventory copy, then overwrites them from the open window when that closes, so server
// and bot drift apart. This plugin replaces that listener: a change to slots 9-44 goes to
// the open window (with the slot number that window uses), everything carries a fresh
// stateId, and others see main-hand/off-hand/armour changes (flying-squid keyed held-item
// equipment by the hotbar index instead of the slot number).
//
// It also gives players the helpers other plugins use: addItem (stack-aware, hotbar
// first, like vanilla), countItem, removeItem, clearInventory, resyncInventory.

const { maker, sameKind, isEmpty } = require('../lib/items')

const HOTBAR = [36, 37, 38, 39, 40, 41, 42, 43, 44]
const MAIN = []
for (let i = 9; i <= 35; i++) MAIN.push(i)
const STORAGE_ORDER = HOTBAR.concat(MAIN)

module.exports.STORAGE_ORDER = STORAGE_ORDER

module.exports.player = function (player, serv) {
  const { registry } = serv
  const { Item, clone, stackSize } = maker(registry)
  const inv = player.inventory

  player._stateId = 0
  player._syncSuppressed = 0
  player._cursor = null
  player._view = null
  player.nextStateId = () => {
    player._stateId = (player._stateId + 1) & 0x7fff
    return player._stateId
  }

  function equipmentSlotOf (slot) {
    if (slot === 36 + player.heldItemSlot) return 0 // main hand
    if (slot === 45) return 1 // off hand
    if (slot >= 5 && slot <= 8) return 10 - slot // 5 head .. 8 feet -> 5 .. 2
    return -1
  }

  function broadcastEquipment (slot, item) {
    const eq = equipmentSlotOf(slot)
    if (eq < 0) return
    try {
      player.setEquipment?.(eq, item)
      player._writeOthersNearby('entity_equipment', {
        entityId: player.id,
        equipments: [{ slot: eq, item: Item.toNotch(item ?? null) }]
      })
    } catch (err) {
      serv.debug?.(err)
    }
  }

  player.sendInventorySlot = (slot) => {
    const item = inv.slots[slot] ?? null
    const view = player._view
    if (view && slot >= 9 && slot <= 44) {
      player._client.write('set_slot', { windowId: view.id, stateId: player.nextStateId(), slot: view.size + slot - 9, item: Item.toNotch(item) })
    } else {
      player._client.write('set_slot', { windowId: 0, stateId: player.nextStateId(), slot, item: Item.toNotch(item) })
    }
  }

  player.resyncInventory = () => {
    const items = []
    for (let i = 0; i < 46; i++) items.push(Item.toNotch(inv.slots[i] ?? null))
    player._client.write('window_items', { windowId: 0, stateId: player.nextStateId(), items, carriedItem: Item.toNotch(player._view ? null : player._cursor) })
  }

  inv.removeAllListeners('updateSlot')
  inv.on('updateSlot', (slot, oldItem, newItem) => {
    broadcastEquipment(slot, newItem)
    if (player._syncSuppressed > 0) return
    try { player.sendInventorySlot(slot) } catch (err) { serv.debug?.(err) }
  })

  const setSlot = (slot, item) => inv.updateSlot(slot, isEmpty(item) ? null : item)

  // Adds count items of type (with nbt); returns how many did not fit.
  player.addItem = (type, count, nbt = null) => {
    let left = Math.floor(Number(count))
    if (!(left > 0)) return 0
    const proto = new Item(type, 1, 0, nbt || undefined)
    const max = stackSize(proto)
    for (const slot of STORAGE_ORDER) {
      if (left <= 0) break
      const it = inv.slots[slot]
      if (it && sameKind(it, proto) && it.count < max) {
        const n = Math.min(left, max - it.count)
        setSlot(slot, clone(it, it.count + n))
        left -= n
      }
    }
    for (const slot of STORAGE_ORDER) {
      if (left <= 0) break
      if (isEmpty(inv.slots[slot])) {
        const n = Math.min(left, max)
        setSlot(slot, clone(proto, n))
        left -= n
      }
    }
    return left
  }

  player.addItemOrDrop = (type, count, nbt = null) => {
    const left = player.addItem(type, count, nbt)
    if (left > 0 && serv.dropItem) {
      serv.dropItem(player.world, player.position.offset(0, 1.2, 0), { type, count: left, nbt }, { pickupDelayMs: 2000 })
    }
    return left
  }

  player.countItem = (type) => {
    let n = 0
    for (let i = 0; i < 46; i++) if (inv.slots[i]?.type === type) n += inv.slots[i].count
    return n
  }

  // Removes up to count items of type (all when count is undefined); returns the number removed.
  player.removeItem = (type, count = Infinity) => {
    let removed = 0
    for (let i = 0; i < 46 && removed < count; i++) {
      const it = inv.slots[i]
      if (!it || (type !== null && it.type !== type)) continue
      const n = Math.min(it.count, count - removed)
      setSlot(i, n === it.count ? null : clone(it, it.count - n))
      removed += n
    }
    return removed
  }

  player.clearInventory = () => {
    let removed = 0
    for (let i = 0; i < 46; i++) {
      if (inv.slots[i]) { removed += inv.slots[i].count; setSlot(i, null) }
    }
    if (player._cursor) { removed += player._cursor.count; player._cursor = null }
    return removed
  }
}
