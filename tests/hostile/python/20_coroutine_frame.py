# attempts: a coroutine's frame, by a run-time name
# expect: AsyncFunctionDef statements are not allowed|restricted name
# limit_s: 5
async def co():
    return 1
c = co()
frame = getattr(c, "cr_" + "frame")
