'use strict'
// Crafting recipe matcher over minecraft-data's recipes (shaped and shapeless).
// Shaped recipes match anywhere in the grid and mirrored, like vanilla.

function cellIds (cell) {
  if (cell === null || cell === undefined) return null
  if (typeof cell === 'number') return cell < 0 ? null : [cell]
  if (Array.isArray(cell)) {
    // a list of alternatives
    const ids = cell.flatMap(c => cellIds(c) || [])
    return ids.length ? ids : null
  }
  if (typeof cell === 'object' && cell.id !== undefined) return cell.id < 0 ? null : [cell.id]
  return null
}

function trim (rows) {
  // rows: array of arrays of (ids[] | null); returns {w, h, cells}
  const h0 = rows.length
  const w0 = Math.max(...rows.map(r => r.length))
  let minX = w0; let maxX = -1; let minY = h0; let maxY = -1
  for (let y = 0; y < h0; y++) {
    for (let x = 0; x < w0; x++) {
      if (rows[y][x]) { minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y) }
    }
  }
  if (maxX < 0) return { w: 0, h: 0, cells: [] }
  const w = maxX - minX + 1
  const h = maxY - minY + 1
  const cells = []
  for (let y = minY; y <= maxY; y++) for (let x = minX; x <= maxX; x++) cells.push(rows[y][x] ?? null)
  return { w, h, cells }
}

function createMatcher (registry) {
  const shaped = new Map() // "wxh" -> [{cells, result}]
  const shapeless = new Map() // ingredient count -> [{ingredients, result}]
  for (const list of Object.values(registry.recipes || {})) {
    for (const r of list) {
      if (!r.result) continue
      const result = { id: r.result.id, count: r.result.count ?? 1 }
      if (r.inShape) {
        const t = trim(r.inShape.map(row => row.map(cellIds)))
        if (!t.w) continue
        const key = t.w + 'x' + t.h
        if (!shaped.has(key)) shaped.set(key, [])
        shaped.get(key).push({ w: t.w, h: t.h, cells: t.cells, result })
      } else if (r.ingredients) {
        const ingredients = r.ingredients.map(cellIds).filter(Boolean)
        if (!ingredients.length) continue
        if (!shapeless.has(ingredients.length)) shapeless.set(ingredients.length, [])
        shapeless.get(ingredients.length).push({ ingredients, result })
      }
    }
  }

  function matchShaped (recipe, t, mirrored) {
    for (let y = 0; y < t.h; y++) {
      for (let x = 0; x < t.w; x++) {
        const want = recipe.cells[y * t.w + (mirrored ? t.w - 1 - x : x)]
        const have = t.cells[y * t.w + x]
        if (!want !== !have) return false
        if (want && !want.includes(have)) return false
      }
    }
    return true
  }

  function matchShapeless (ingredients, types) {
    const used = new Array(types.length).fill(false)
    function rec (k) {
      if (k === ingredients.length) return true
      for (let i = 0; i < types.length; i++) {
        if (!used[i] && ingredients[k].includes(types[i])) {
          used[i] = true
          if (rec(k + 1)) return true
          used[i] = false
        }
      }
      return false
    }
    return rec(0)
  }

  // grid: array of item types (or null) of a size x size grid, row-major.
  // Returns {id, count} or null.
  return function match (grid, size) {
    const rows = []
    for (let y = 0; y < size; y++) rows.push(grid.slice(y * size, y * size + size).map(t => (t === null || t === undefined) ? null : t))
    const t = trim(rows)
    if (!t.w) return null
    for (const recipe of shaped.get(t.w + 'x' + t.h) || []) {
      if (matchShaped(recipe, t, false) || matchShaped(recipe, t, true)) return recipe.result
    }
    const types = grid.filter(x => x !== null && x !== undefined)
    for (const recipe of shapeless.get(types.length) || []) {
      if (matchShapeless(recipe.ingredients, types)) return recipe.result
    }
    return null
  }
}

module.exports = { createMatcher }
