from django.conf import settings

from .menu import menu_for


def platform(request):
    user = getattr(request, "user", None)
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "SUPPORT_PHONES": settings.SUPPORT_PHONES,
        "menu": menu_for(user) if user is not None else [],
    }
