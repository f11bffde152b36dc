package emulator

// event is one entry of get-webhook-event-list: value is the event name a webhook
// subscribes to; name (Chinese) and nameEn are labels for people. A client that sent a
// label instead of the value would be refused by create-webhook, as on the real API.
type event struct {
	value, name, nameEn, category string
}

// eventCategory is one entry of the categories list.
type eventCategory struct {
	value, name, nameEn string
}

var eventCategories = []eventCategory{
	{"user", "用户", "User"},
	{"permission", "权限", "Permission"},
	{"role", "角色", "Role"},
	{"application", "应用", "Application"},
	{"group", "分组", "Group"},
	{"organization", "组织机构", "Organization"},
	{"user-pool", "用户池", "User pool"},
	{"data-resource", "数据资源", "Data resource"},
	{"security", "安全", "Security"},
	{"test", "测试", "Test"},
}

// events is the documented list of webhook events, in the API's order, plus
// refresh-token, which the Node SDK 4.x knows. The provider keeps its own copy of the
// names for offline validation: the emulator shares no code with what it checks, so
// that one mistake cannot hide in both.
var events = []event{
	{"test", "测试事件", "Test event", "test"},
	{"register", "用户注册", "User registered", "user"},
	{"login", "用户登录", "User logged in", "user"},
	{"mfa:verified", "MFA 验证通过", "MFA verified", "security"},
	{"kick", "用户被强制下线", "User kicked out", "user"},
	{"user:created", "创建用户", "User created", "user"},
	{"user:password-changed", "用户修改密码", "User password changed", "user"},
	{"user:updated", "修改用户资料", "User updated", "user"},
	{"user:email-verified", "用户邮箱验证", "User email verified", "user"},
	{"user:archived", "归档用户", "User archived", "user"},
	{"user:unarchived", "取消归档用户", "User unarchived", "user"},
	{"user:blocked", "锁定用户", "User blocked", "user"},
	{"user:unblocked", "解锁用户", "User unblocked", "user"},
	{"user:deleted", "删除用户", "User deleted", "user"},
	{"user:register-whitelist-added", "添加注册白名单", "Registration whitelist entry added", "user"},
	{"user:register-whitelist-deleted", "删除注册白名单", "Registration whitelist entry deleted", "user"},
	{"user:udv-changed", "用户自定义数据变更", "User custom data changed", "user"},
	{"user:link-account", "用户绑定账号", "User account linked", "user"},
	{"user:password-update-remind", "密码到期提醒", "Password expiry reminder", "user"},
	{"user:organization-node-update", "用户部门变更", "User department changed", "user"},
	{"permission:revoke", "撤销授权", "Permission revoked", "permission"},
	{"permission:add", "添加授权", "Permission granted", "permission"},
	{"resource:created", "创建资源", "Resource created", "permission"},
	{"resource:delete", "删除资源", "Resource deleted", "permission"},
	{"resource:updated", "修改资源", "Resource updated", "permission"},
	{"role:created", "创建角色", "Role created", "role"},
	{"role:updated", "修改角色", "Role updated", "role"},
	{"role:deleted", "删除角色", "Role deleted", "role"},
	{"role:disable", "禁用角色", "Role disabled", "role"},
	{"role:assigned", "分配角色", "Role assigned", "role"},
	{"subject:remove", "移除授权主体", "Subject removed", "role"},
	{"role:unassigned", "取消分配角色", "Role unassigned", "role"},
	{"role:udv-changed", "角色自定义数据变更", "Role custom data changed", "role"},
	{"application:mfa:enabled", "应用开启 MFA", "Application MFA enabled", "application"},
	{"application:mfa:disabled", "应用关闭 MFA", "Application MFA disabled", "application"},
	{"group:created", "创建分组", "Group created", "group"},
	{"group:updated", "修改分组", "Group updated", "group"},
	{"group:deleted", "删除分组", "Group deleted", "group"},
	{"group:member-added", "分组添加成员", "Group member added", "group"},
	{"group:member-removed", "分组移除成员", "Group member removed", "group"},
	{"organization:created", "创建组织机构", "Organization created", "organization"},
	{"organization:imported", "导入组织机构", "Organization imported", "organization"},
	{"organization:deleted", "删除组织机构", "Organization deleted", "organization"},
	{"organization:node-added", "添加部门", "Department added", "organization"},
	{"organization:node-updated", "修改部门", "Department updated", "organization"},
	{"organization:tree-updated", "组织机构树变更", "Organization tree updated", "organization"},
	{"organization:node-deleted", "删除部门", "Department deleted", "organization"},
	{"organization:node-moved", "移动部门", "Department moved", "organization"},
	{"organization:member-added", "部门添加成员", "Department member added", "organization"},
	{"organization:member-removed", "部门移除成员", "Department member removed", "organization"},
	{"organization:udv-changed", "组织机构自定义数据变更", "Organization custom data changed", "organization"},
	{"privilege-namespace:created", "创建权限分组", "Permission namespace created", "permission"},
	{"privilege-namespace:updated", "修改权限分组", "Permission namespace updated", "permission"},
	{"privilege-namespace:deleted", "删除权限分组", "Permission namespace deleted", "permission"},
	{"user-pool:cooperator-added", "添加协作管理员", "Collaborator added", "user-pool"},
	{"user-pool:cooperator-removed", "移除协作管理员", "Collaborator removed", "user-pool"},
	{"user-pool:secret-refreshed", "刷新用户池密钥", "User pool secret refreshed", "user-pool"},
	{"user-pool:updated", "修改用户池配置", "User pool updated", "user-pool"},
	{"user-pool:udf-added", "添加自定义字段", "Custom field added", "user-pool"},
	{"user-pool:udf-deleted", "删除自定义字段", "Custom field deleted", "user-pool"},
	{"user-pool:env-added", "添加环境变量", "Environment variable added", "user-pool"},
	{"user-pool:env-deleted", "删除环境变量", "Environment variable deleted", "user-pool"},
	{"user-pool:env-updated", "修改环境变量", "Environment variable updated", "user-pool"},
	{"user-pool:launchpad-app-installed", "安装应用面板应用", "Launchpad app installed", "user-pool"},
	{"user-pool:launchpad-app-uninstalled", "卸载应用面板应用", "Launchpad app uninstalled", "user-pool"},
	{"application:created", "创建应用", "Application created", "application"},
	{"application:updated", "修改应用", "Application updated", "application"},
	{"application:deleted", "删除应用", "Application deleted", "application"},
	{"application:secret-refreshed", "刷新应用密钥", "Application secret refreshed", "application"},
	{"data-resource:created", "创建数据资源", "Data resource created", "data-resource"},
	{"data-resource:updated", "修改数据资源", "Data resource updated", "data-resource"},
	{"data-resource:deleted", "删除数据资源", "Data resource deleted", "data-resource"},
	{"data-strategy-permission:revoke", "撤销数据策略授权", "Data policy permission revoked", "data-resource"},
	{"data-strategy-permission:add", "添加数据策略授权", "Data policy permission granted", "data-resource"},
	{"unusual-location:login", "异地登录", "Login from an unusual location", "security"},
	{"refresh-token", "刷新 Token", "Token refreshed", "user"},
}
