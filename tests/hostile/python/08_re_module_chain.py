# attempts: reach copyreg/enum/functools through re's module attributes
# expect: has no attribute 'enum'
# limit_s: 5
import re
print(re.enum.sys.modules)
