'use strict'
// Server-side window clicks (inventory and container windows).
//
// flying-squid hands window_click to prismarine-windows' acceptClick, which trusts
// click.item, the item the client says is in the clicked slot. From 1.17 the packet has no
// such field (only the client's predicted changedSlots and cursor), so every click is
// applied as if the slot were empty: the server's inventory drifts from the bot's, the held
// item the server sees is wrong, and bot.placeBlock / bot.equip time out or misplace.
//
// Here the server keeps the cursor item itself and applies each click mode to its own
// state, like vanilla: 0 pick/place (left, right, outside to drop), 1 shift-move, 2 swap
// with a hotbar key, 3 creative pick, 4 drop (Q), 5 drag, 6 collect (double click). After a
// click it compares the result with the slots and cursor the client predicted and sends
// set_slot only where they differ, so mineflayer's prediction is never overwritten by a
// stale packet. Crafting grids always get their result slot sent (mineflayer waits for it).
//
// The same code drives container windows: serv.openView(player, spec) opens a window over
// a Container (serv.createContainer(size)) whose changes reach every viewer; crafting.js,
// furnace.js and chest.js build on it. Closing a window puts grid items and the cursor back
// into the inventory.

const { maker, sameKind, isEmpty, itemsEqual, notchMatches } = require('../lib/items')

class Container {
  constructor (serv, size) {
    this.serv = serv
    this.size = size
    this.slots = new Array(size).fill(null)
    this.views = new Set()
  }

  get (i) { return this.slots[i] ?? null }

  set (i, item) {
    const value = isEmpty(item) ? null : item
    this.slots[i] = value
    for (const v of this.views) {
      if (v.player._syncSuppressed > 0) continue // the clicking player gets a diff instead
      v.player._client.write('set_slot', { windowId: v.id, stateId: v.player.nextStateId(), slot: i, item: v.player._Item.toNotch(value) })
    }
  }

  items () { return this.slots.filter(s => !isEmpty(s)) }
}

function armorSlotFor (name) {
  if (!name) return -1
  if (name.endsWith('_helmet') || name === 'carved_pumpkin' || name.endsWith('_head') || name.endsWith('_skull')) return 5
  if (name.endsWith('_chestplate') || name === 'elytra') return 6
  if (name.endsWith('_leggings')) return 7
  if (name.endsWith('_boots')) return 8
  return -1
}

module.exports.Container = Container
module.exports.armorSlotFor = armorSlotFor

module.exports.server = function (serv) {
  const { registry } = serv
  const windowTypes = require('prismarine-windows')(registry).windows

  serv.createContainer = (size) => new Container(serv, size)

  // spec: { type, title, container, accepts(i, item), takeOnly: Set, craft, quickMove(i, item), onClose(player) }
  serv.openView = (player, spec) => {
    if (player._view) serv.closeView(player, { sendToClient: false })
    const winType = windowTypes[spec.type]
    if (!winType) throw new Error('unknown window type ' + spec.type)
    player._windowCounter = (player._windowCounter % 100) + 1
    const view = { ...spec, id: player._windowCounter, size: spec.container.size, player }
    spec.container.views.add(view)
    player._view = view
    player._client.write('open_window', {
      windowId: view.id,
      inventoryType: winType.type,
      windowTitle: serv._createChatComponent(spec.title ?? { text: spec.type }).toNetworkFormat()
    })
    player.sendViewItems(view)
    view.onOpen?.(player, view)
    return view
  }

  serv.closeView = (player, { sendToClient = true } = {}) => {
    const view = player._view
    if (!view) return
    player._view = null
    view.container.views.delete(view)
    try { view.onClose?.(player, view) } catch (err) { serv.emit('error', err) }
    if (sendToClient) player._client.write('close_window', { windowId: view.id })
    player.returnCursor()
  }
}

module.exports.player = function (player, serv) {
  const { registry } = serv
  const { Item, clone, stackSize } = maker(registry)
  const inv = player.inventory
  player._Item = Item
  player._windowCounter = 0
  player._cursor = null
  player._drag = null

  // The player's own window (id 0): slot i is inventory slot i. Crafting (2x2) is attached by
  // crafting.js as player._invView.craft.
  player._invView = { id: 0, size: 0, isInventory: true, container: null, player }

  const currentView = () => player._view || player._invView
  const slotCount = (view) => view.isInventory ? 46 : view.size + 36
  const playerStart = (view) => view.isInventory ? 9 : view.size
  const hotbarStart = (view) => playerStart(view) + 27

  function getS (view, i) {
    if (view.isInventory) return inv.slots[i] ?? null
    if (i < view.size) return view.container.get(i)
    return inv.slots[i - view.size + 9] ?? null
  }

  function setS (view, i, item) {
    const value = isEmpty(item) ? null : item
    if (view.isInventory) inv.updateSlot(i, value)
    else if (i < view.size) view.container.set(i, value)
    else inv.updateSlot(i - view.size + 9, value)
  }

  const resultSlot = (view) => view.craft ? view.craft.resultSlot : -1
  const isTakeOnly = (view, i) => i === resultSlot(view) || !!view.takeOnly?.has(i)

  function accepts (view, i, item) {
    if (isTakeOnly(view, i)) return false
    if (view.isInventory) {
      if (i >= 5 && i <= 8) return armorSlotFor(item.name) === i
      return true
    }
    if (i < view.size && view.accepts) return view.accepts(i, item)
    return true
  }

  function maxFor (view, i, item) {
    if (view.isInventory && i >= 5 && i <= 8) return 1
    return stackSize(item)
  }

  player.sendViewItems = (view = currentView()) => {
    const items = []
    for (let i = 0; i < slotCount(view); i++) items.push(Item.toNotch(getS(view, i)))
    player._client.write('window_items', { windowId: view.id, stateId: player.nextStateId(), items, carriedItem: Item.toNotch(player._cursor) })
  }

  player.returnCursor = () => {
    if (isEmpty(player._cursor)) { player._cursor = null; return }
    const c = player._cursor
    player._cursor = null
    player.addItemOrDrop(c.type, c.count, c.nbt)
  }

  function drop (item) {
    if (isEmpty(item)) return
    player.throwItem ? player.throwItem(item) : serv.dropItem(player.world, player.position.offset(0, 1.3, 0), { type: item.type, count: item.count, nbt: item.nbt })
  }

  // Merge item into [start, end) (existing stacks first, then empty slots). Returns the rest.
  function moveInto (view, item, start, end, reverse = false) {
    let rest = clone(item)
    const order = []
    for (let i = start; i < end; i++) order.push(i)
    if (reverse) order.reverse()
    for (const i of order) {
      if (!rest) break
      const it = getS(view, i)
      if (it && sameKind(it, rest) && accepts(view, i, rest)) {
        const n = Math.min(rest.count, maxFor(view, i, rest) - it.count)
        if (n > 0) {
          setS(view, i, clone(it, it.count + n))
          rest = clone(rest, rest.count - n)
        }
      }
    }
    for (const i of order) {
      if (!rest) break
      if (isEmpty(getS(view, i)) && accepts(view, i, rest)) {
        const n = Math.min(rest.count, maxFor(view, i, rest))
        setS(view, i, clone(rest, n))
        rest = clone(rest, rest.count - n)
      }
    }
    return rest
  }

  function fits (view, item, start, end) {
    let room = 0
    for (let i = start; i < end; i++) {
      const it = getS(view, i)
      if (isEmpty(it)) room += stackSize(item)
      else if (sameKind(it, item)) room += Math.max(0, stackSize(item) - it.count)
      if (room >= item.count) return true
    }
    return false
  }

  function refreshCraft (view) {
    if (!view.craft) return
    const result = view.craft.compute(view)
    const slot = view.craft.resultSlot
    if (!itemsEqual(getS(view, slot), result)) {
      if (view.isInventory) inv.updateSlot(slot, result)
      else view.container.set(slot, result)
    }
  }

  function craftOnce (view) {
    const result = view.craft.compute(view)
    if (!result) return null
    view.craft.consume(view)
    refreshCraft(view)
    return result
  }

  function quickMoveRanges (view, i, item) {
    if (view.quickMove) {
      const r = view.quickMove(i, item, view)
      if (r) return r
    }
    const ps = playerStart(view)
    const hs = hotbarStart(view)
    const end = slotCount(view)
    if (view.isInventory) {
      if (i < 9 || i === 45) return [[9, 45, false]]
      const armor = armorSlotFor(item.name)
      const ranges = []
      if (armor >= 0 && isEmpty(inv.slots[armor])) ranges.push([armor, armor + 1, false])
      ranges.push(i < 36 ? [36, 45, false] : [9, 36, false])
      return ranges
    }
    if (i < view.size) return [[ps, end, true]]
    if (view.craft) return i < hs ? [[hs, end, false]] : [[ps, hs, false]]
    return [[0, view.size, false]]
  }

  function clickMode0 (view, slot, button) {
    let cursor = player._cursor
    if (slot === -999) {
      if (cursor) {
        if (button === 0) { drop(cursor); cursor = null } else { drop(clone(cursor, 1)); cursor = clone(cursor, cursor.count - 1) }
      }
      player._cursor = cursor
      return
    }
    if (slot === resultSlot(view)) {
      const result = view.craft.compute(view)
      if (!result) return
      if (!cursor) cursor = result
      else if (sameKind(cursor, result) && cursor.count + result.count <= stackSize(cursor)) cursor = clone(cursor, cursor.count + result.count)
      else return
      view.craft.consume(view)
      refreshCraft(view)
      player._cursor = cursor
      return
    }
    const it = getS(view, slot)
    if (isTakeOnly(view, slot)) {
      if (!it) return
      if (!cursor) {
        const n = button === 0 ? it.count : Math.ceil(it.count / 2)
        cursor = clone(it, n)
        setS(view, slot, clone(it, it.count - n))
      } else if (sameKind(cursor, it)) {
        const n = Math.min(it.count, stackSize(cursor) - cursor.count)
        cursor = clone(cursor, cursor.count + n)
        setS(view, slot, clone(it, it.count - n))
      }
      player._cursor = cursor
      return
    }
    if (button === 0) {
      if (!cursor && it) {
        cursor = it
        setS(view, slot, null)
      } else if (cursor && !it) {
        if (accepts(view, slot, cursor)) {
          const n = Math.min(cursor.count, maxFor(view, slot, cursor))
          setS(view, slot, clone(cursor, n))
          cursor = clone(cursor, cursor.count - n)
        }
      } else if (cursor && it) {
        if (sameKind(cursor, it)) {
          const n = Math.min(cursor.count, maxFor(view, slot, it) - it.count)
          if (n > 0) {
            setS(view, slot, clone(it, it.count + n))
            cursor = clone(cursor, cursor.count - n)
          }
        } else if (accepts(view, slot, cursor) && cursor.count <= maxFor(view, slot, cursor)) {
          setS(view, slot, cursor)
          cursor = it
        }
      }
    } else {
      if (!cursor && it) {
        const n = Math.ceil(it.count / 2)
        cursor = clone(it, n)
        setS(view, slot, clone(it, it.count - n))
      } else if (cursor && !it) {
        if (accepts(view, slot, cursor)) {
          setS(view, slot, clone(cursor, 1))
          cursor = clone(cursor, cursor.count - 1)
        }
      } else if (cursor && it) {
        if (sameKind(cursor, it)) {
          if (it.count < maxFor(view, slot, it)) {
            setS(view, slot, clone(it, it.count + 1))
            cursor = clone(cursor, cursor.count - 1)
          }
        } else if (accepts(view, slot, cursor) && cursor.count <= maxFor(view, slot, cursor)) {
          setS(view, slot, cursor)
          cursor = it
        }
      }
    }
    player._cursor = cursor
  }

  function clickMode1 (view, slot) {
    if (slot === resultSlot(view)) {
      for (let k = 0; k < 64; k++) {
        const result = view.craft.compute(view)
        if (!result || !fits(view, result, playerStart(view), slotCount(view))) break
        view.craft.consume(view)
        moveInto(view, result, playerStart(view), slotCount(view), true)
        refreshCraft(view)
      }
      return
    }
    const it = getS(view, slot)
    if (!it) return
    let rest = it
    for (const [start, end, reverse] of quickMoveRanges(view, slot, it)) {
      if (!rest) break
      rest = moveInto(view, rest, start, end, reverse)
    }
    if (!itemsEqual(rest, it)) setS(view, slot, rest)
  }

  function clickMode2 (view, slot, button) {
    const offhand = button === 40
    if (!offhand && (button < 0 || button > 8)) return
    const hotSlot = offhand ? null : hotbarStart(view) + button
    const getHot = () => offhand ? (inv.slots[45] ?? null) : getS(view, hotSlot)
    const setHot = (item) => offhand ? inv.updateSlot(45, isEmpty(item) ? null : item) : setS(view, hotSlot, item)
    if (slot === hotSlot) return
    const hot = getHot()
    if (slot === resultSlot(view)) {
      const result = view.craft.compute(view)
      if (!result) return
      if (!hot) setHot(result)
      else if (sameKind(hot, result) && hot.count + result.count <= stackSize(hot)) setHot(clone(hot, hot.count + result.count))
      else return
      view.craft.consume(view)
      refreshCraft(view)
      return
    }
    const it = getS(view, slot)
    if (isTakeOnly(view, slot)) {
      if (!hot && it) { setHot(it); setS(view, slot, null) }
      return
    }
    if (hot && (!accepts(view, slot, hot) || hot.count > maxFor(view, slot, hot))) return
    setS(view, slot, hot)
    setHot(it)
  }

  function clickMode4 (view, slot, button) {
    if (slot === -999 || player._cursor) return
    if (slot === resultSlot(view)) {
      const result = craftOnce(view)
      if (result) drop(result)
      return
    }
    const it = getS(view, slot)
    if (!it) return
    const n = button === 1 ? it.count : 1
    drop(clone(it, n))
    setS(view, slot, clone(it, it.count - n))
  }

  function clickMode5 (view, slot, button) {
    const phase = button & 3 // 0 start, 1 add, 2 end
    const kind = button >> 2 // 0 left, 1 right, 2 middle
    if (phase === 0) {
      player._drag = slot === -999 && player._cursor ? { kind, slots: [] } : null
      return
    }
    const drag = player._drag
    if (!drag || drag.kind !== kind) { player._drag = null; return }
    if (phase === 1) {
      if (slot >= 0 && slot < slotCount(view) && !drag.slots.includes(slot)) {
        const it = getS(view, slot)
        const c = player._cursor
        if (c && (!it || sameKind(it, c)) && accepts(view, slot, c)) drag.slots.push(slot)
      }
      return
    }
    player._drag = null
    let cursor = player._cursor
    if (!cursor || drag.slots.length === 0) return
    if (kind === 2) {
      if (player.gameMode !== 1) return
      for (const s of drag.slots) if (!getS(view, s)) setS(view, s, clone(cursor, stackSize(cursor)))
      return
    }
    const per = kind === 0 ? Math.floor(cursor.count / drag.slots.length) : 1
    if (per <= 0) return
    for (const s of drag.slots) {
      if (!cursor) break
      const it = getS(view, s)
      const have = it ? it.count : 0
      const n = Math.min(per, cursor.count, maxFor(view, s, cursor) - have)
      if (n <= 0) continue
      setS(view, s, clone(cursor, have + n))
      cursor = clone(cursor, cursor.count - n)
    }
    player._cursor = cursor
  }

  function clickMode6 (view, slot) {
    let cursor = player._cursor
    if (!cursor || slot === resultSlot(view)) return
    const max = stackSize(cursor)
    for (const pass of [0, 1]) {
      for (let i = 0; i < slotCount(view) && cursor.count < max; i++) {
        if (isTakeOnly(view, i)) continue
        const it = getS(view, i)
        if (!it || !sameKind(it, cursor)) continue
        if (pass === 0 && it.count === stackSize(it)) continue
        const n = Math.min(it.count, max - cursor.count)
        cursor = clone(cursor, cursor.count + n)
        setS(view, i, clone(it, it.count - n))
      }
    }
    player._cursor = cursor
  }

  function snapshot (view) {
    const out = []
    for (let i = 0; i < slotCount(view); i++) {
      const it = getS(view, i)
      out.push(it ? clone(it) : null)
    }
    return out
  }

  function sendSlot (view, i, item) {
    player._client.write('set_slot', { windowId: view.id, stateId: player.nextStateId(), slot: i, item: Item.toNotch(item ?? null) })
  }

  player._client.removeAllListeners('window_click')
  player._client.on('window_click', (packet) => {
    try {
      handleClick(packet)
    } catch (err) {
      serv.emit('error', err)
      try { player.sendViewItems() } catch (e) {}
    }
  })

  function handleClick (packet) {
    let view = currentView()
    if (packet.windowId !== view.id) {
      if (packet.windowId === 0 && !view.isInventory) {
        serv.closeView(player, { sendToClient: false })
        view = player._invView
      } else {
        player.sendViewItems(view)
        return
      }
    }
    const { slot, mouseButton: button, mode } = packet
    const count = slotCount(view)
    if (slot !== -999 && (slot < 0 || slot >= count)) {
      player.sendViewItems(view)
      return
    }
    const before = snapshot(view)
    const offhandBefore = inv.slots[45] ? clone(inv.slots[45]) : null
    player._syncSuppressed++
    try {
      switch (mode) {
        case 0: clickMode0(view, slot, button); break
        case 1: if (slot !== -999) clickMode1(view, slot); break
        case 2: if (slot !== -999) clickMode2(view, slot, button); break
        case 3: {
          const it = slot === -999 ? null : getS(view, slot)
          if (player.gameMode === 1 && !player._cursor && it) player._cursor = clone(it, stackSize(it))
          break
        }
        case 4: clickMode4(view, slot, button); break
        case 5: clickMode5(view, slot, button); break
        case 6: if (slot !== -999) clickMode6(view, slot); break
      }
      if (view.craft) refreshCraft(view)
      if (player._cursor && isEmpty(player._cursor)) player._cursor = null
    } finally {
      player._syncSuppressed--
    }

    const claimed = new Map()
    for (const c of packet.changedSlots || []) claimed.set(c.location, c.item)
    const sent = new Set()
    for (let i = 0; i < count; i++) {
      const now = getS(view, i)
      const changed = !itemsEqual(before[i], now)
      if (claimed.has(i) ? !notchMatches(claimed.get(i), now) : changed) {
        sendSlot(view, i, now)
        sent.add(i)
      }
    }
    for (const [i, item] of claimed) {
      if (i < 0 || i >= count) sendSlot(view, i, null) // nonsense slot: tell the client it is empty
      else if (!sent.has(i) && !notchMatches(item, getS(view, i))) sendSlot(view, i, getS(view, i))
    }
    if (!view.isInventory && !itemsEqual(offhandBefore, inv.slots[45] ?? null)) player.sendInventorySlot(45)
    if (view.craft && !sent.has(view.craft.resultSlot)) sendSlot(view, view.craft.resultSlot, getS(view, view.craft.resultSlot))
    if (!notchMatches(packet.cursorItem, player._cursor)) {
      player._client.write('set_slot', { windowId: -1, stateId: player.nextStateId(), slot: -1, item: Item.toNotch(player._cursor) })
    }
  }

  player._client.removeAllListeners('close_window')
  player._client.on('close_window', ({ windowId }) => {
    try {
      if (player._view && windowId === player._view.id) {
        serv.closeView(player, { sendToClient: false })
      } else if (windowId === 0) {
        // inventory closed: crafting grid and cursor go back into the inventory
        player._drag = null
        for (let i = 1; i <= 4; i++) {
          const it = inv.slots[i]
          if (it) {
            inv.updateSlot(i, null)
            player.addItemOrDrop(it.type, it.count, it.nbt)
          }
        }
        refreshCraft(player._invView)
        player.returnCursor()
      }
    } catch (err) {
      serv.emit('error', err)
    }
  })

  player._client.on('end', () => {
    try { if (player._view) serv.closeView(player, { sendToClient: false }) } catch (e) {}
  })
}
