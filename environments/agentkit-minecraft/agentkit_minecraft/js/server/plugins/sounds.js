'use strict'
// Sound packets.
//
// On 1.19.3+ flying-squid writes sound_effect with a sound holder the serializer does not
// encode as the client expects, positions divided by 4 instead of multiplied by 8, and
// pre-1.9 sound names ('random.pop', 'dig.stone'). Each block dig or placement then makes
// mineflayer print "Chunk size is 42 but only 32 was read ... sound_effect". Here
// serv.playSound sends the registry id of the sound (old names mapped to current ones) with
// fixed-point coordinates, and skips sounds it cannot name.

const OLD_NAMES = {
  'random.pop': 'entity.item.pickup',
  'dig.stone': 'block.stone.place',
  'dig.wood': 'block.wood.place',
  'dig.grass': 'block.grass.place',
  'dig.gravel': 'block.gravel.place',
  'dig.sand': 'block.sand.place',
  'dig.cloth': 'block.wool.place',
  'dig.snow': 'block.snow.place',
  'game.player.hurt': 'entity.player.hurt',
  'random.click': 'block.lever.click',
  'note.harp': 'block.note_block.harp'
}

module.exports.server = function (serv) {
  const { registry } = serv
  if (!registry.version['>=']('1.19.3') || !registry.soundsByName) return
  const categories = ['master', 'music', 'record', 'weather', 'block', 'hostile', 'neutral', 'player', 'ambient', 'voice']

  serv.playSound = (sound, world, position, { whitelist, blacklist = [], radius = 32, volume = 1.0, pitch = 1.0, soundCategory = 'block' } = {}) => {
    const name = String(sound).replace(/^minecraft:/, '')
    const entry = registry.soundsByName[OLD_NAMES[name] ?? name]
    if (!entry) return
    const category = typeof soundCategory === 'number' ? (categories[soundCategory] ?? 'master') : soundCategory
    const players = whitelist !== undefined
      ? (Array.isArray(whitelist) ? whitelist : [whitelist])
      : serv.getNearby({ world, position, radius })
    for (const player of players) {
      if (blacklist.includes(player)) continue
      const p = position || player.position
      try {
        player._client.write('sound_effect', {
          sound: { soundId: entry.id + 1 },
          soundCategory: category,
          x: Math.floor(p.x * 8),
          y: Math.floor(p.y * 8),
          z: Math.floor(p.z * 8),
          volume,
          pitch,
          seed: [0, 0]
        })
      } catch (err) {
        serv.debug?.(err)
      }
    }
  }
}
