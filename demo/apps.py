from django.apps import AppConfig


class DemoConfig(AppConfig):
    # No models, so no admin section shows a verbose name: the default one is never seen.
    name = "demo"
