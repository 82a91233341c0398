import { Type } from 'typebox'

export const RoleSchema = Type.Union([
  Type.Literal('admin'),
  Type.Literal('manager'),
  Type.Literal('analyst'),
  Type.Literal('affiliate'),
  Type.Literal('advertiser'),
])

const NullableText = Type.Union([Type.String(), Type.Null()])

export const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  affiliate_id: NullableText,
  advertiser_id: NullableText,
  disabled: Type.Boolean(),
  two_factor: Type.Boolean(),
  has_password: Type.Boolean({ description: 'false until the invite is accepted' }),
  last_login_at: NullableText,
  created_at: Type.String(),
  updated_at: Type.String(),
})

export const ApiKeySchema = Type.Object({
  id: Type.String(),
  name: NullableText,
  role: RoleSchema,
  affiliate_id: NullableText,
  advertiser_id: NullableText,
  user_id: NullableText,
  created_at: Type.String(),
  last_used_at: NullableText,
})

export const SessionBody = Type.Object({
  user: Type.Union([UserSchema, Type.Null()], { description: 'null for a key of no user' }),
  csrf_token: Type.Union([Type.String(), Type.Null()], {
    description: 'send as X-CSRF-Token with POST, PUT, PATCH, DELETE; null for Bearer keys',
  }),
  two_factor_setup_required: Type.Boolean(),
})

/**
 * `GET /me`: the session's fields and the caller's own scope, which a key of no user (the bootstrap
 * admin key, an affiliate's key) has too.
 */
export const MeBody = Type.Object({
  ...SessionBody.properties,
  role: RoleSchema,
  affiliate_id: Type.Union([Type.String(), Type.Null()], {
    description: 'the affiliate an affiliate caller is',
  }),
  advertiser_id: Type.Union([Type.String(), Type.Null()], {
    description: 'the advertiser an advertiser caller is',
  }),
})
