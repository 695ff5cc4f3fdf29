# attempts: tb_frame on a traceback object reached through with_traceback
# expect: restricted name
# limit_s: 5
try:
    1 / 0
except ZeroDivisionError as e:
    print(getattr(e, "tb_" + "frame"))
