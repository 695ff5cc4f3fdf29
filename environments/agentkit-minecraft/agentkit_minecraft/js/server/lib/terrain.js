'use strict'
// Seeded terrain for the agentkit test server.
//
// flying-squid's own generators have no trees and no ores, so a bot can neither get wood
// nor iron. This one is small and deterministic: the same seed gives the same world,
// chunk by chunk, whatever order the chunks are asked in (every feature lives inside
// its own chunk, and every random draw comes from a hash of the seed and coordinates).
//
//   - gentle hills around y=64 (flatter near the origin), grass over 3-4 dirt over stone,
//     deepslate below y=0, bedrock at the bottom;
//   - oak and birch trees, dense near the spawn point;
//   - coal and iron veins, many of them 4-14 blocks under the surface; gold, copper,
//     redstone, lapis and diamond deeper down;
//   - a few stone outcrops (some with coal or iron showing) and sand patches.
//
// createTerrain(seed) exposes the pure functions (height, surface, trees, spawn) so tests
// and the spawn-point plugin can ask about the world without generating chunks.
// module.exports (the default export) is the flying-squid generation factory:
// ({ registry, seed }) => (chunkX, chunkZ) => prismarine-chunk column.

const Vec3 = require('vec3').Vec3

const MIN_Y = -64
const WORLD_HEIGHT = 384

function toSeed32 (seed) {
  // Accept any integer (or numeric string) and fold it into 32 bits.
  let s = typeof seed === 'bigint' ? seed : BigInt(Math.trunc(Number(seed) || 0))
  let h = 0x811c9dc5
  for (let i = 0; i < 4; i++) {
    h = Math.imul(h ^ Number(s & 0xffffn), 0x01000193)
    s >>= 16n
  }
  return h | 0
}

// 32-bit integer hash of (seed, a, b, c) -> [0, 1)
function hash (seed, a, b, c = 0) {
  let h = seed ^ Math.imul(a | 0, 0x27d4eb2d) ^ Math.imul(b | 0, 0x165667b1) ^ Math.imul(c | 0, 0x1b873593)
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  h ^= h >>> 16
  return (h >>> 0) / 4294967296
}

function mulberry32 (a) {
  return function () {
    a |= 0; a = a + 0x6D2B79F5 | 0
    let t = Math.imul(a ^ a >>> 15, 1 | a)
    t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t
    return ((t ^ t >>> 14) >>> 0) / 4294967296
  }
}

function smooth (t) { return t * t * (3 - 2 * t) }

function valueNoise (seed, x, z, scale) {
  const fx = x / scale
  const fz = z / scale
  const x0 = Math.floor(fx)
  const z0 = Math.floor(fz)
  const tx = smooth(fx - x0)
  const tz = smooth(fz - z0)
  const a = hash(seed, x0, z0)
  const b = hash(seed, x0 + 1, z0)
  const c = hash(seed, x0, z0 + 1)
  const d = hash(seed, x0 + 1, z0 + 1)
  return (a + (b - a) * tx) + ((c + (d - c) * tx) - (a + (b - a) * tx)) * tz
}

function fbm (seed, x, z, scale, octaves = 3) {
  let sum = 0
  let amp = 1
  let norm = 0
  for (let i = 0; i < octaves; i++) {
    sum += valueNoise(seed + i * 1013, x, z, scale) * amp
    norm += amp
    amp *= 0.5
    scale /= 2
  }
  return sum / norm
}

const SALT = { height: 11, forest: 23, outcrop: 37, sand: 41, tree: 53, treeKind: 59, treeHeight: 61, leaf: 67, plant: 71, ore: 73, chunk: 79 }

function createTerrain (seedIn) {
  const seed = toSeed32(seedIn)
  const s = (salt) => seed ^ Math.imul(salt, 0x9E3779B1)

  function flatness (x, z) {
    const d = Math.sqrt(x * x + z * z)
    return Math.min(1, 0.35 + d / 96)
  }

  function baseHeight (x, z) {
    const n = fbm(s(SALT.height), x, z, 96, 3) - 0.5
    return Math.round(64 + n * 22 * flatness(x, z))
  }

  function isOutcrop (x, z) {
    return fbm(s(SALT.outcrop), x, z, 20, 2) > 0.7
  }

  function isSand (x, z, h) {
    return h <= 63 && fbm(s(SALT.sand), x, z, 28, 2) > 0.66
  }

  // Surface column description: height of the top solid block, and its kind.
  function column (x, z) {
    let h = baseHeight(x, z)
    let kind = 'grass'
    if (isOutcrop(x, z)) {
      kind = 'stone'
      h += 1
    } else if (isSand(x, z, h)) {
      kind = 'sand'
    }
    return { h, kind }
  }

  function forestDensity (x, z) {
    const n = fbm(s(SALT.forest), x, z, 80, 2)
    let d = n < 0.45 ? 0.04 : 0.04 + (n - 0.45) * 1.6
    const dist = Math.sqrt(x * x + z * z)
    if (dist < 48) d = Math.max(d, 0.4)
    return Math.min(d, 0.75)
  }

  // Raw tree candidate of the 4x4 cell (cx, cz) in world cell coordinates, or null.
  // The trunk always lies 2..13 blocks into its chunk so leaves stay inside the chunk.
  function rawCandidate (cx, cz) {
    const jx = Math.floor(hash(s(SALT.tree), cx, cz, 1) * 4)
    const jz = Math.floor(hash(s(SALT.tree), cx, cz, 2) * 4)
    let x = cx * 4 + jx
    let z = cz * 4 + jz
    const lx = ((x % 16) + 16) % 16
    const lz = ((z % 16) + 16) % 16
    x += Math.max(0, 2 - lx) - Math.max(0, lx - 13)
    z += Math.max(0, 2 - lz) - Math.max(0, lz - 13)
    if (hash(s(SALT.tree), cx, cz, 3) >= forestDensity(x, z)) return null
    return { x, z }
  }

  const treeCache = new Map()
  // The tree whose trunk stands in cell (cx, cz), or null.
  function treeInCell (cx, cz) {
    const key = cx + ',' + cz
    if (treeCache.has(key)) return treeCache.get(key)
    let tree = null
    const c = rawCandidate(cx, cz)
    if (c) {
      let ok = true
      // spacing: reject when an earlier (raw) candidate is too close
      for (const [dx, dz] of [[-1, 0], [0, -1], [-1, -1], [1, -1]]) {
        const o = rawCandidate(cx + dx, cz + dz)
        if (o && Math.abs(o.x - c.x) < 3 && Math.abs(o.z - c.z) < 3) { ok = false; break }
      }
      const col = column(c.x, c.z)
      if (ok && col.kind === 'grass') {
        const birch = hash(s(SALT.treeKind), c.x, c.z) < 0.25
        const height = (birch ? 5 : 4) + Math.floor(hash(s(SALT.treeHeight), c.x, c.z) * 3)
        tree = { x: c.x, z: c.z, ground: col.h, height, kind: birch ? 'birch' : 'oak' }
      }
    }
    if (treeCache.size > 20000) treeCache.clear()
    treeCache.set(key, tree)
    return tree
  }

  function treesInChunk (chunkX, chunkZ) {
    const out = []
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const t = treeInCell(chunkX * 4 + i, chunkZ * 4 + j)
        if (t) out.push(t)
      }
    }
    return out
  }

  function treesNear (x, z, r) {
    const out = []
    for (let cx = Math.floor((x - r) / 4); cx <= Math.floor((x + r) / 4); cx++) {
      for (let cz = Math.floor((z - r) / 4); cz <= Math.floor((z + r) / 4); cz++) {
        const t = treeInCell(cx, cz)
        if (t && Math.abs(t.x - x) <= r && Math.abs(t.z - z) <= r) out.push(t)
      }
    }
    return out
  }

  // Leaves of a tree, as [x, y, z] offsets from the trunk base column.
  function leafOffsets (tree) {
    const out = []
    const top = tree.ground + tree.height // y of the top log
    for (let y = top - 1; y <= top + 2; y++) {
      const r = y <= top ? 2 : 1
      for (let dx = -r; dx <= r; dx++) {
        for (let dz = -r; dz <= r; dz++) {
          const corner = Math.abs(dx) === r && Math.abs(dz) === r
          if (y === top + 2 && corner) continue
          if (corner && hash(s(SALT.leaf), tree.x + dx, tree.z + dz, y) < 0.5) continue
          if (dx === 0 && dz === 0 && y <= top) continue // trunk
          out.push([dx, y, dz])
        }
      }
    }
    return out
  }

  // Spawn: the nearest grass column to the origin that is not under a tree and has a
  // trunk 2-4 blocks away.
  let spawnCache = null
  function spawn () {
    if (spawnCache) return spawnCache
    for (let r = 0; r < 256 && !spawnCache; r++) {
      for (let dx = -r; dx <= r && !spawnCache; dx++) {
        for (let dz = -r; dz <= r && !spawnCache; dz++) {
          if (Math.max(Math.abs(dx), Math.abs(dz)) !== r) continue
          const col = column(dx, dz)
          if (col.kind !== 'grass') continue
          const near = treesNear(dx, dz, 4)
          const clear = near.every(t => Math.max(Math.abs(t.x - dx), Math.abs(t.z - dz)) >= 3)
          if (clear && near.length > 0) spawnCache = { x: dx, y: col.h + 1, z: dz }
        }
      }
    }
    if (!spawnCache) spawnCache = { x: 0, y: column(0, 0).h + 1, z: 0 }
    spawnCache.x += 0 // no -0
    spawnCache.z += 0
    return spawnCache
  }

  return { seed, column, baseHeight, forestDensity, treesInChunk, treesNear, leafOffsets, spawn, isOutcrop }
}

// Ore veins: [name, deepslateName, veinsPerChunk, sizeMin, sizeMax, depth(rand, surface) -> y]
function oreSpecs () {
  return [
    ['coal_ore', 'deepslate_coal_ore', 14, 5, 10, (r, h) => r() < 0.65 ? h - 4 - Math.floor(r() * 10) : Math.floor(r() * (h - 14))],
    ['iron_ore', 'deepslate_iron_ore', 9, 3, 7, (r, h) => r() < 0.55 ? h - 5 - Math.floor(r() * 10) : -24 + Math.floor(r() * (h - 16 + 24))],
    ['copper_ore', 'deepslate_copper_ore', 3, 4, 8, (r, h) => Math.floor(r() * 48)],
    ['gold_ore', 'deepslate_gold_ore', 2, 3, 6, (r, h) => -48 + Math.floor(r() * 56)],
    ['redstone_ore', 'deepslate_redstone_ore', 2, 3, 7, (r, h) => -60 + Math.floor(r() * 44)],
    ['lapis_ore', 'deepslate_lapis_ore', 1, 3, 6, (r, h) => -40 + Math.floor(r() * 40)],
    ['diamond_ore', 'deepslate_diamond_ore', 1, 2, 5, (r, h) => -58 + Math.floor(r() * 18)]
  ]
}

function generation (options = {}) {
  const registry = options.registry || require('prismarine-registry')(options.version || '1.20.4')
  const Chunk = require('prismarine-chunk')(registry)
  const BiomeSection = require('prismarine-chunk/src/pc/common/PaletteBiome')
  const seed = options.fixedSeed ?? options.seed ?? 0
  const terrain = createTerrain(seed)
  const B = (name) => registry.blocksByName[name].defaultState
  const S = {
    air: 0,
    bedrock: B('bedrock'),
    stone: B('stone'),
    deepslate: B('deepslate'),
    dirt: B('dirt'),
    grass: registry.blocksByName.grass_block.minStateId + 1, // snowy=false
    sand: B('sand'),
    oakLog: B('oak_log'),
    birchLog: B('birch_log'),
    oakLeaves: B('oak_leaves'),
    birchLeaves: B('birch_leaves'),
    plant: B(registry.blocksByName.short_grass ? 'short_grass' : 'grass'),
    coal: B('coal_ore'),
    iron: B('iron_ore')
  }
  const ores = oreSpecs().map(([name, deep, n, a, b, depth]) => ({ state: B(name), deep: B(deep), n, a, b, depth }))
  const biomePlains = registry.biomesByName.plains.id
  const biomeForest = (registry.biomesByName.forest || registry.biomesByName.plains).id
  const s32 = terrain.seed

  return function generateChunk (chunkX, chunkZ) {
    const chunk = new Chunk({ minY: MIN_Y, worldHeight: WORLD_HEIGHT })
    const ChunkSection = Chunk.section
    const bx = chunkX * 16
    const bz = chunkZ * 16
    const pos = new Vec3(0, 0, 0)
    const set = (x, y, z, st) => { pos.x = x; pos.y = y; pos.z = z; chunk.setBlockStateId(pos, st) }
    const get = (x, y, z) => { pos.x = x; pos.y = y; pos.z = z; return chunk.getBlockStateId(pos) }

    const cols = new Array(256)
    let minH = Infinity
    let maxH = -Infinity
    for (let x = 0; x < 16; x++) {
      for (let z = 0; z < 16; z++) {
        const c = terrain.column(bx + x, bz + z)
        cols[x * 16 + z] = c
        if (c.h < minH) minH = c.h
        if (c.h > maxH) maxH = c.h
      }
    }

    // Whole sections of deepslate / stone under the lowest dirt: single-value palettes.
    const solidTop = minH - 5 // highest y that is stone in every column
    for (let i = 0; i < chunk.numSections; i++) {
      const y0 = MIN_Y + i * 16
      if (y0 + 15 <= solidTop) {
        chunk.sections[i] = new ChunkSection({ singleValue: y0 + 15 < 0 ? S.deepslate : S.stone, maxBitsPerBlock: chunk.maxBitsPerBlock })
      }
    }
    const firstPartial = Math.max(MIN_Y, MIN_Y + 16 * Math.floor((solidTop + 1 - MIN_Y) / 16))

    for (let x = 0; x < 16; x++) {
      for (let z = 0; z < 16; z++) {
        const { h, kind } = cols[x * 16 + z]
        set(x, MIN_Y, z, S.bedrock)
        if (hash(s32, bx + x, bz + z, 5) < 0.5) set(x, MIN_Y + 1, z, S.bedrock)
        const dirtDepth = 3 + Math.floor(hash(s32, bx + x, bz + z, 7) * 2)
        for (let y = firstPartial; y <= h; y++) {
          let st
          if (kind === 'stone') st = S.stone
          else if (y === h) st = kind === 'sand' ? S.sand : S.grass
          else if (y > h - dirtDepth) st = kind === 'sand' ? S.sand : S.dirt
          else st = y < 0 ? S.deepslate : S.stone
          set(x, y, z, st)
        }
      }
    }

    // Ores: veins are random walks that only replace stone / deepslate.
    const rnd = mulberry32((s32 ^ Math.imul(chunkX, 0x3C6EF372) ^ Math.imul(chunkZ, 0x1B873593) ^ SALT.ore) | 0)
    for (const ore of ores) {
      for (let v = 0; v < ore.n; v++) {
        let x = 1 + Math.floor(rnd() * 14)
        let z = 1 + Math.floor(rnd() * 14)
        const h = cols[x * 16 + z].h
        let y = ore.depth(rnd, h)
        const size = ore.a + Math.floor(rnd() * (ore.b - ore.a + 1))
        for (let k = 0; k < size; k++) {
          if (y > MIN_Y + 2 && y < h && x >= 0 && x < 16 && z >= 0 && z < 16) {
            const cur = get(x, y, z)
            if (cur === S.stone) set(x, y, z, ore.state)
            else if (cur === S.deepslate) set(x, y, z, ore.deep)
          }
          const d = Math.floor(rnd() * 6)
          if (d === 0) x++; else if (d === 1) x--; else if (d === 2) z++; else if (d === 3) z--; else if (d === 4) y++; else y--
        }
      }
    }

    // Outcrops show some ore at the surface.
    for (let x = 0; x < 16; x++) {
      for (let z = 0; z < 16; z++) {
        const { h, kind } = cols[x * 16 + z]
        if (kind !== 'stone') continue
        const r = hash(s32, bx + x, bz + z, 13)
        if (r < 0.06) set(x, h, z, S.coal)
        else if (r < 0.085) set(x, h, z, S.iron)
      }
    }

    // Trees (fully inside this chunk by construction).
    const occupied = new Set()
    for (const t of terrain.treesInChunk(chunkX, chunkZ)) {
      const lx = t.x - bx
      const lz = t.z - bz
      const log = t.kind === 'birch' ? S.birchLog : S.oakLog
      const leaves = t.kind === 'birch' ? S.birchLeaves : S.oakLeaves
      set(lx, t.ground, lz, S.dirt)
      for (let y = t.ground + 1; y <= t.ground + t.height; y++) set(lx, y, lz, log)
      for (const [dx, y, dz] of terrain.leafOffsets(t)) {
        if (get(lx + dx, y, lz + dz) === S.air) set(lx + dx, y, lz + dz, leaves)
      }
      for (let dx = -2; dx <= 2; dx++) for (let dz = -2; dz <= 2; dz++) occupied.add((lx + dx) * 16 + (lz + dz))
      if (t.ground + t.height + 3 > maxH) maxH = t.ground + t.height + 3
    }

    // A little short grass on open grass.
    for (let x = 0; x < 16; x++) {
      for (let z = 0; z < 16; z++) {
        const { h, kind } = cols[x * 16 + z]
        if (kind !== 'grass' || occupied.has(x * 16 + z)) continue
        if (hash(s32, bx + x, bz + z, SALT.plant) < 0.05 && get(x, h + 1, z) === S.air) set(x, h + 1, z, S.plant)
      }
    }

    // Biome: one per chunk, forest where trees are dense.
    const biome = terrain.forestDensity(bx + 8, bz + 8) >= 0.3 ? biomeForest : biomePlains
    for (let i = 0; i < chunk.numSections; i++) chunk.biomes[i] = new BiomeSection({ singleValue: biome })

    // Sky light: full in sections above the terrain, per block in the surface sections.
    const topSolidSection = Math.floor((maxH + 1 - MIN_Y) / 16) // section index containing maxH+1
    for (let li = 0; li < chunk.numSections + 2; li++) {
      const secIndex = li - 1 // light sections have one extra below and above
      if (secIndex < topSolidSection) continue
      pos.x = 0; pos.z = 0; pos.y = MIN_Y + secIndex * 16
      chunk.setSkyLight(pos, 15)
      const section = chunk.skyLightSections[li]
      if (section) section.data.fill(0xFFFFFFFF)
    }
    const lightFrom = Math.max(MIN_Y, minH - 1)
    const lightTo = MIN_Y + topSolidSection * 16 - 1
    for (let x = 0; x < 16; x++) {
      for (let z = 0; z < 16; z++) {
        for (let y = lightTo; y >= lightFrom; y--) {
          if (get(x, y, z) !== S.air) break
          pos.x = x; pos.y = y; pos.z = z
          chunk.setSkyLight(pos, 15)
        }
      }
    }
    return chunk
  }
}

module.exports = generation
module.exports.createTerrain = createTerrain
module.exports.toSeed32 = toSeed32
module.exports.hash = hash
module.exports.MIN_Y = MIN_Y
