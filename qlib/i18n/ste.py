STRINGS = {"en": {}, "ja": {}}
