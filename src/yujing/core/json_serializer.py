"""Django's JSON serialisation without its loss of precision.

Django's ``DjangoJSONEncoder`` cuts datetimes and times to milliseconds (ECMA-262 style), so a
backup restored from ``dumpdata`` output gives back 21:47:18 for a row stamped 21:47:18.000412:
the backup is not the data. Registered as the ``json`` format (``SERIALIZATION_MODULES``), this
encoder writes the full ISO 8601 value; reading is Django's own (``DateTimeField.to_python`` parses
microseconds), so archives written before keep loading.
"""

import datetime

from django.core.serializers.json import (
    Deserializer,  # noqa: F401  (the format's reader, unchanged)
    DjangoJSONEncoder,
)
from django.core.serializers.json import Serializer as DjangoSerializer


class FullPrecisionEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(DjangoSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = FullPrecisionEncoder
