from django.urls import re_path

from protection_dashboard.content.admin_server_backups import views

urlpatterns = [
    re_path(r'^$', views.IndexView.as_view(), name='index'),
]
