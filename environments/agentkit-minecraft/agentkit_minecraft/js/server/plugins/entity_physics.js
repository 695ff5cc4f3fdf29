'use strict'
// Gravity and collisions for item entities and mobs.
//
// flying-squid's entity physics pushes an entity up by half its size every tick it touches
// the ground, so items and mobs bob above the floor (and mobs keep streaming position
// packets); it also stops sending an item's position on the tick it comes to rest, so
// server and clients disagree on where it lies. This replacement treats the entity as a
// point at its feet: gravity, land on top of full blocks, stop at walls, ground friction,
// and the final position of a landing item is always sent.

module.exports.server = function (serv) {
  const { registry } = serv

  function solidAt (world, x, y, z) {
    return world.getBlockStateId({ x: Math.floor(x), y: Math.floor(y), z: Math.floor(z) }).then(id => {
      const b = registry.blocksByStateId[id]
      return !!b && b.boundingBox === 'block'
    })
  }

  serv.on('newEntity', (entity) => {
    if (entity.type !== 'object' && entity.type !== 'mob') return
    entity.calculatePhysics = async (delta) => {
      const dt = Math.min(Math.max(delta, 0), 0.25)
      const p = entity.position
      const v = entity.velocity
      const height = entity.size?.y ?? 0.25
      v.y = Math.max(v.y - 20 * dt, -40)
      let x = p.x + v.x * dt
      let y = p.y + v.y * dt
      let z = p.z + v.z * dt
      const world = entity.world
      if (v.x !== 0 && await solidAt(world, x, p.y + 0.1, p.z)) { x = p.x; v.x = 0 }
      if (v.z !== 0 && await solidAt(world, x, p.y + 0.1, z)) { z = p.z; v.z = 0 }
      let onGround = false
      if (v.y <= 0) {
        if (await solidAt(world, x, y, z)) {
          y = Math.floor(y) + 1
          if (y > p.y + 0.6) y = p.y // do not climb
          v.y = 0
          onGround = true
        }
      } else if (await solidAt(world, x, y + height, z)) {
        y = p.y
        v.y = 0
      }
      if (onGround) {
        const f = Math.max(0, 1 - 12 * dt)
        v.x *= f
        v.z *= f
        if (Math.abs(v.x) < 0.05) v.x = 0
        if (Math.abs(v.z) < 0.05) v.z = 0
      }
      const position = p.clone()
      position.x = x; position.y = y; position.z = z
      if (entity.type === 'object' && v.x === 0 && v.y === 0 && v.z === 0 && !position.equals(p)) {
        // the tick loop only sends moving objects: send the resting position ourselves
        await entity.sendPosition(position, onGround)
      }
      return { position, onGround }
    }
  })
}
