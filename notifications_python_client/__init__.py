"""Python client for the GOV.UK Notify API."""

__version__ = "13.1.0"

from notifications_python_client.errors import REQUEST_ERROR_MESSAGE, REQUEST_ERROR_STATUS_CODE
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.utils import prepare_upload

__all__ = [
    "REQUEST_ERROR_MESSAGE",
    "REQUEST_ERROR_STATUS_CODE",
    "NotificationsAPIClient",
    "__version__",
    "prepare_upload",
]
