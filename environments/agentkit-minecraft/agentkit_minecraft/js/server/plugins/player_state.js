'use strict'
// Sneaking and sprinting flags.
//
// From 1.20.3 entity_action gives its action as a name ('start_sneaking', ...) where
// flying-squid compares numbers, so player.crouching is never set (and sneak-right-click
// on a chest with a block in hand opens the chest instead of placing). Both encodings are
// understood here; player.crouching and player.sprinting follow the client.

module.exports.player = function (player) {
  player.sprinting = false
  player._client.on('entity_action', ({ actionId }) => {
    if (actionId === 0 || actionId === 'start_sneaking') player.crouching = true
    else if (actionId === 1 || actionId === 'stop_sneaking') player.crouching = false
    else if (actionId === 3 || actionId === 'start_sprinting') player.sprinting = true
    else if (actionId === 4 || actionId === 'stop_sprinting') player.sprinting = false
  })
}
