from django.urls import re_path

from protection_dashboard.content.volume_snapshots import views

urlpatterns = [
    re_path(r'^$', views.IndexView.as_view(), name='index'),
    re_path(r'^create/(?P<volume_id>[^/]+)/$', views.ProtectView.as_view(), name='create'),
    re_path(r'^(?P<point_id>[^/]+)/$', views.DetailView.as_view(), name='detail'),
    re_path(r'^(?P<snapshot_id>[^/]+)/restore/$', views.RestoreView.as_view(),
            name='restore'),
]
