from django.urls import re_path

from protection_dashboard.content.admin_manageable_snapshots import views

urlpatterns = [
    re_path(r'^$', views.IndexView.as_view(), name='index'),
    re_path(r'^manage/$', views.ManageView.as_view(), name='manage'),
]
