'use strict'
// Small item helpers shared by the plugins (prismarine-item objects or null).

function nbtKey (item) {
  return item && item.nbt ? JSON.stringify(item.nbt) : ''
}

// Same kind of item (can stack together).
function sameKind (a, b) {
  return !!a && !!b && a.type === b.type && nbtKey(a) === nbtKey(b)
}

function isEmpty (item) {
  return !item || item.type === -1 || item.type === 0 || !(item.count > 0)
}

function itemsEqual (a, b) {
  if (isEmpty(a) && isEmpty(b)) return true
  if (isEmpty(a) || isEmpty(b)) return false
  return sameKind(a, b) && a.count === b.count
}

// Compare a notch slot ({present, itemId, itemCount, nbtData}) with an item, ignoring NBT
// (the client sends NBT in its own encoding; type and count are what matter here).
function notchMatches (notch, item) {
  const present = !!notch && (notch.present !== undefined ? notch.present : notch.blockId !== -1)
  if (!present) return isEmpty(item)
  if (isEmpty(item)) return false
  const id = notch.itemId !== undefined ? notch.itemId : notch.blockId
  return id === item.type && notch.itemCount === item.count
}

function maker (registry) {
  const Item = require('prismarine-item')(registry)
  function make (typeOrName, count = 1, nbt = null) {
    let type = typeOrName
    if (typeof typeOrName === 'string') {
      const data = registry.itemsByName[typeOrName.replace(/^minecraft:/, '')]
      if (!data) throw new Error('unknown item ' + typeOrName)
      type = data.id
    }
    return new Item(type, Math.floor(Number(count)), 0, nbt || undefined)
  }
  function clone (item, count = item.count) {
    if (isEmpty(item) || count <= 0) return null
    return new Item(item.type, count, item.metadata, item.nbt || undefined)
  }
  function stackSize (item) {
    return registry.items[item.type]?.stackSize ?? 64
  }
  return { Item, make, clone, stackSize }
}

module.exports = { sameKind, isEmpty, itemsEqual, notchMatches, maker, nbtKey }
