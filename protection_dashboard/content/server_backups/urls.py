from django.urls import re_path

from protection_dashboard.content.server_backups import views

urlpatterns = [
    re_path(r'^$', views.IndexView.as_view(), name='index'),
    re_path(r'^create/(?P<server_id>[^/]+)/$', views.ProtectView.as_view(), name='create'),
    re_path(r'^(?P<point_id>[^/]+)/$', views.DetailView.as_view(), name='detail'),
    re_path(r'^(?P<backup_id>[^/]+)/restore/$', views.RestoreView.as_view(), name='restore'),
]
