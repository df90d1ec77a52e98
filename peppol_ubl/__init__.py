from .artifacts import bundles
